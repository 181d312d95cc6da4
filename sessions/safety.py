"""Safety checks for a treatment note, from the patient's flags and the points chosen.

CLINICAL.md section 4: every caution (the pregnancy points, the lung fields, the vessels
and the eye, a point not needled (CV8 Shenque, moxibustion only), a point on a limb with
lymphoedema, electroacupuncture with epilepsy, each patient condition) needs an explicit
acknowledgement, stored per caution, before the note is signed; the pregnancy cautions
before it is saved too. Electroacupuncture with a pacemaker or implanted electrical device
is the one hard block. The note asks these (TreatmentSession.warnings); every message and
caution key is typed here once, the point picker's too.
"""

from dataclasses import dataclass

from patients.models import Limb

REFUSE = "refuse"  # the note cannot be saved or signed
ACKNOWLEDGE = "acknowledge"  # signed only once acknowledged (pregnancy: saved only then too)

ELECTRO_REFUSED = (
    "Electroacupuncture is refused: the patient has a pacemaker or another implanted "
    "electrical device."
)
EPILEPSY = "Epilepsy: take care with electroacupuncture."
PREGNANCY_CAUTION = "{point}: traditionally avoided in pregnancy, and the patient is pregnant."
BLEEDING = (
    "The patient {reasons}: needle superficially with fine needles and press longer after removal."
)
ANTICOAGULANTS = "takes anticoagulant or antiplatelet medicine"
BLEEDING_DISORDER = "has a bleeding disorder"
LUNG_FIELD = "{point} lies over the lung field: keep the depth and angle safe (pneumothorax risk)."
VESSEL_OR_EYE = "{point} lies near a large vessel or the eye. {caution}"
DO_NOT_NEEDLE = "{point} is not needled (moxibustion only): record it only if moxibustion was used."
LYMPHOEDEMA_POINT = (
    "{point} is needled on {limb}, which has lymphoedema: do not needle the affected limb."
)
LYMPHOEDEMA = "Lymphoedema of {limb}: do not needle there."
# Each patient condition's caution (Patient field, message).
CONDITIONS = [
    ("needle_fear", "Needle fear or fainting: treat lying down."),
    ("metal_allergy", "Metal allergy: use nickel-free needles."),
    ("diabetes_or_neuropathy", "Diabetes or neuropathy: check the skin; sensation may be reduced."),
    ("immunosuppressed", "Immunosuppression: strict clean technique, no needling of broken skin."),
    (
        "skin_infection",
        "Skin infection or broken skin at a site: look at each site first; do not needle "
        "through or next to it.",
    ),
]

# The caution keys an acknowledgement stores (CautionAcknowledgement.caution): {code} is
# the point's. The point picker builds the same keys from these.
KEYS = {
    "epilepsy": "epilepsy:electroacupuncture",
    "pregnancy_caution": "pregnancy:{code}",
    "lung_field": "lung_field:{code}",
    "vessel_or_eye": "vessel_or_eye:{code}",
    "lymphoedema_point": "lymphoedema:{code}",
    "do_not_needle": "do_not_needle:{code}",
    "lymphoedema": "condition:lymphoedema",
    "bleeding": "condition:bleeding",
    "condition": "condition:{name}",
}
ACKNOWLEDGE_FIELD = "acknowledge"  # the form field whose ticks are the acknowledgements

# What the point picker says as points are chosen, before the review below runs on save
# (static/sessions/session_form.js reads these through json_script; {code} is the point's,
# {limb} the limb's name).
PICKER_MESSAGES = {
    "electro_refused": "Electroacupuncture will be refused: the patient has an implanted device.",
    "epilepsy": EPILEPSY,
    "pregnancy_caution": "{code}: traditionally avoided in pregnancy, and the patient is pregnant.",
    "lung_field": "{code} lies over the lung field: keep the depth and angle safe.",
    "vessel_or_eye": "{code} lies near a large vessel or the eye.",
    "lymphoedema_point": "{code} is on {limb}, which has lymphoedema: do not needle it.",
    "do_not_needle": "{code} is not needled: moxibustion only.",
}
LIMB_NAMES = {
    ("arm", "L"): "the left arm", ("arm", "R"): "the right arm", ("arm", "B"): "both arms",
    ("leg", "L"): "the left leg", ("leg", "R"): "the right leg", ("leg", "B"): "both legs",
}  # fmt: skip


@dataclass(frozen=True)
class SafetyWarning:
    level: str
    message: str
    field: str = ""
    key: str = ""  # a caution's, as its acknowledgement stores it
    before_saving: bool = False  # a caution acknowledged before the draft is saved too

    @property
    def is_caution(self):
        return self.level == ACKNOWLEDGE


def named(point):
    return f"{point.code} {point.pinyin}"


def caution(message, key, before_saving=False):
    return SafetyWarning(ACKNOWLEDGE, message, ACKNOWLEDGE_FIELD, key, before_saving)


def sides(side):
    """The sides a point's side (or a limb's) covers: "B" is both."""
    return {"L", "R"} if side == "B" else {side}


def affected_limb(patient, point, side):
    """The name of the limb with lymphoedema that `point` needled on `side` is on, or ""."""
    if not patient.lymphoedema_limb or not point.limb:
        return ""
    limb = Limb(patient.lymphoedema_limb)
    if point.limb != limb.limb:
        return ""
    needled = sides(side) & sides(limb.side)
    if not needled:
        return ""
    return LIMB_NAMES[(limb.limb, "B" if len(needled) == 2 else needled.pop())]


def review(patient, point_sides, electrical):
    """Every warning for needling `point_sides` ((AcupuncturePoint, side) pairs) in this
    patient: the refusal, then the stimulation's, the pregnancy points', the patient's
    conditions' and the other points' cautions."""
    points = [point for point, _ in point_sides]
    warnings = []
    if electrical and patient.implanted_device:
        warnings.append(SafetyWarning(REFUSE, ELECTRO_REFUSED, "electrical"))
    if electrical and patient.epilepsy:
        warnings.append(caution(EPILEPSY, KEYS["epilepsy"]))
    if patient.pregnant:
        for point in points:
            if point.pregnancy_caution:
                message = PREGNANCY_CAUTION.format(point=named(point))
                key = KEYS["pregnancy_caution"].format(code=point.code)
                warnings.append(caution(message, key, before_saving=True))
    reasons = [ANTICOAGULANTS] * patient.anticoagulants + [BLEEDING_DISORDER] * (
        patient.bleeding_disorder
    )
    if reasons:
        warnings.append(caution(BLEEDING.format(reasons=" and ".join(reasons)), KEYS["bleeding"]))
    for name, message in CONDITIONS:
        if getattr(patient, name):
            warnings.append(caution(message, KEYS["condition"].format(name=name)))
    if patient.lymphoedema_limb:
        limb = Limb(patient.lymphoedema_limb)
        message = LYMPHOEDEMA.format(limb=LIMB_NAMES[(limb.limb, limb.side)])
        warnings.append(caution(message, KEYS["lymphoedema"]))
    for point, side in point_sides:
        code = point.code
        if point.lung_field:
            message = LUNG_FIELD.format(point=named(point))
            warnings.append(caution(message, KEYS["lung_field"].format(code=code)))
        if point.vessel_or_eye:
            message = VESSEL_OR_EYE.format(point=named(point), caution=point.caution).strip()
            warnings.append(caution(message, KEYS["vessel_or_eye"].format(code=code)))
        if point.do_not_needle:
            message = DO_NOT_NEEDLE.format(point=named(point))
            warnings.append(caution(message, KEYS["do_not_needle"].format(code=code)))
        if limb := affected_limb(patient, point, side):
            message = LYMPHOEDEMA_POINT.format(point=named(point), limb=limb)
            warnings.append(caution(message, KEYS["lymphoedema_point"].format(code=code)))
    return unique(warnings)


def unique(warnings):
    """The warnings without repeats of a caution (a point needled left and right)."""
    seen, kept = set(), []
    for warning in warnings:
        if warning.key and warning.key in seen:
            continue
        seen.add(warning.key)
        kept.append(warning)
    return kept


def refusals(warnings):
    return [w for w in warnings if w.level == REFUSE]


def cautions(warnings):
    return [w for w in warnings if w.is_caution]


def unacknowledged(warnings, acknowledged, before_saving=False):
    """The cautions among `warnings` whose keys are not in `acknowledged`: all of them, or
    only those needed before saving."""
    return [
        w
        for w in cautions(warnings)
        if w.key not in acknowledged and (w.before_saving or not before_saving)
    ]


def blocking(warnings, acknowledged):
    """What stops a draft being saved: refusals, and pregnancy cautions not acknowledged."""
    return refusals(warnings) + unacknowledged(warnings, acknowledged, before_saving=True)
