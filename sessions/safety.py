"""Safety checks for a treatment note, from the patient's flags and the points chosen.

CLINICAL.md section 4: cautions warn and need an acknowledgement; electroacupuncture with
a pacemaker or implanted electrical device is the one hard block.
"""

from dataclasses import dataclass

REFUSE = "refuse"  # the note cannot be saved
ACKNOWLEDGE = "acknowledge"  # saved only with an explicit acknowledgement, stored on the note
REMIND = "remind"  # shown to the practitioner


@dataclass(frozen=True)
class Warning:
    level: str
    message: str
    field: str = ""


def review(patient, points, electrical):
    """Every warning for needling `points` (AcupuncturePoints) in this patient."""
    warnings = []
    if electrical and patient.implanted_device:
        warnings.append(Warning(REFUSE, (
            "Electroacupuncture is refused: the patient has a pacemaker or another implanted "
            "electrical device."
        ), "electrical"))  # fmt: skip
    if electrical and patient.epilepsy:
        warnings.append(Warning(REMIND, "Epilepsy: take care with electroacupuncture."))
    if patient.pregnant:
        for point in points:
            if point.pregnancy_caution:
                warnings.append(Warning(ACKNOWLEDGE, (
                    f"{point.code} {point.pinyin}: traditionally avoided in pregnancy, and the "
                    "patient is pregnant."
                ), "pregnancy_acknowledged"))  # fmt: skip
    if patient.anticoagulants or patient.bleeding_disorder:
        reason = "a bleeding disorder" if patient.bleeding_disorder else "anticoagulant medicine"
        warnings.append(Warning(REMIND, (
            f"The patient has {reason}: needle superficially with fine needles and press "
            "longer after removal."
        )))  # fmt: skip
    for point in points:
        if point.lung_field:
            warnings.append(Warning(REMIND, (
                f"{point.code} {point.pinyin} lies over the lung field: keep the depth and angle "
                "safe (pneumothorax risk)."
            )))  # fmt: skip
        if point.vessel_or_eye:
            warnings.append(Warning(REMIND, (
                f"{point.code} {point.pinyin} lies near a large vessel or the eye. {point.caution}"
            ).strip()))  # fmt: skip
    patient_reminders = [
        (patient.needle_fear, "Needle fear or fainting: treat lying down."),
        (patient.metal_allergy, "Metal allergy: use nickel-free needles."),
        (patient.diabetes_or_neuropathy, "Diabetes or neuropathy: check the skin; sensation "
         "may be reduced."),
        (patient.immunosuppressed, "Immunosuppression: strict clean technique, no needling "
         "of broken skin."),
        (patient.lymphoedema_limb, f"Lymphoedema of the "
         f"{patient.get_lymphoedema_limb_display().lower()}: do not needle that limb."),
    ]  # fmt: skip
    warnings += [Warning(REMIND, text) for flagged, text in patient_reminders if flagged]
    return warnings


def blocking(warnings, acknowledged):
    """The warnings that stop a save: refusals, and cautions not acknowledged."""
    return [
        w for w in warnings if w.level == REFUSE or (w.level == ACKNOWLEDGE and not acknowledged)
    ]
