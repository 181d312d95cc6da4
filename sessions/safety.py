"""Safety checks for a treatment note, from the patient's flags and the points chosen.

CLINICAL.md section 4: cautions warn and need an acknowledgement; electroacupuncture with
a pacemaker or implanted electrical device is the one hard block. The note asks these
(TreatmentSession.warnings); every message is typed here once, the point picker's too.
"""

from dataclasses import dataclass

REFUSE = "refuse"  # the note cannot be saved
ACKNOWLEDGE = "acknowledge"  # saved only with an explicit acknowledgement, stored on the note
REMIND = "remind"  # shown to the practitioner

ELECTRO_REFUSED = (
    "Electroacupuncture is refused: the patient has a pacemaker or another implanted "
    "electrical device."
)
EPILEPSY = "Epilepsy: take care with electroacupuncture."
PREGNANCY_CAUTION = "{point}: traditionally avoided in pregnancy, and the patient is pregnant."
BLEEDING = (
    "The patient has {reason}: needle superficially with fine needles and press longer after "
    "removal."
)
LUNG_FIELD = "{point} lies over the lung field: keep the depth and angle safe (pneumothorax risk)."
VESSEL_OR_EYE = "{point} lies near a large vessel or the eye. {caution}"

# What the point picker says as points are chosen, before the review below runs on save
# (static/sessions/session_form.js reads these through json_script; {code} is the point's).
PICKER_MESSAGES = {
    "electro_refused": ("Electroacupuncture will be refused: the patient has an implanted device."),
    "epilepsy": EPILEPSY,
    "pregnancy_caution": "{code}: traditionally avoided in pregnancy. Acknowledge below to save.",
    "lung_field": "{code} lies over the lung field: keep the depth and angle safe.",
    "vessel_or_eye": "{code} lies near a large vessel or the eye.",
}


@dataclass(frozen=True)
class SafetyWarning:
    level: str
    message: str
    field: str = ""


def named(point):
    return f"{point.code} {point.pinyin}"


def review(patient, points, electrical):
    """Every warning for needling `points` (AcupuncturePoints) in this patient."""
    warnings = []
    if electrical and patient.implanted_device:
        warnings.append(SafetyWarning(REFUSE, ELECTRO_REFUSED, "electrical"))
    if electrical and patient.epilepsy:
        warnings.append(SafetyWarning(REMIND, EPILEPSY))
    if patient.pregnant:
        for point in points:
            if point.pregnancy_caution:
                message = PREGNANCY_CAUTION.format(point=named(point))
                warnings.append(SafetyWarning(ACKNOWLEDGE, message, "pregnancy_acknowledged"))
    if patient.anticoagulants or patient.bleeding_disorder:
        reason = "a bleeding disorder" if patient.bleeding_disorder else "anticoagulant medicine"
        warnings.append(SafetyWarning(REMIND, BLEEDING.format(reason=reason)))
    for point in points:
        if point.lung_field:
            warnings.append(SafetyWarning(REMIND, LUNG_FIELD.format(point=named(point))))
        if point.vessel_or_eye:
            message = VESSEL_OR_EYE.format(point=named(point), caution=point.caution).strip()
            warnings.append(SafetyWarning(REMIND, message))
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
    warnings += [SafetyWarning(REMIND, text) for flagged, text in patient_reminders if flagged]
    return warnings


def blocking(warnings, acknowledged):
    """The warnings that stop a save: refusals, and cautions not acknowledged."""
    return [
        w for w in warnings if w.level == REFUSE or (w.level == ACKNOWLEDGE and not acknowledged)
    ]


def reminders(warnings):
    """The warnings that only remind: shown beside the form, stopping nothing."""
    return [w for w in warnings if w.level == REMIND]
