"""Regions of the intake's pain map. The key is stored; the label is what the patient reads.

Left and right are the patient's own (on the front view the patient's left is on the
viewer's right).
"""

FRONT = [
    ("head_front", "Head and face"),
    ("neck_front", "Front of the neck"),
    ("shoulder_front_l", "Left shoulder, front"),
    ("shoulder_front_r", "Right shoulder, front"),
    ("chest", "Chest"),
    ("abdomen", "Belly"),
    ("arm_front_l", "Left arm, front"),
    ("arm_front_r", "Right arm, front"),
    ("hand_l", "Left hand and wrist"),
    ("hand_r", "Right hand and wrist"),
    ("hip_front_l", "Left hip and groin"),
    ("hip_front_r", "Right hip and groin"),
    ("thigh_front_l", "Left thigh, front"),
    ("thigh_front_r", "Right thigh, front"),
    ("knee_front_l", "Left knee, front"),
    ("knee_front_r", "Right knee, front"),
    ("shin_l", "Left shin"),
    ("shin_r", "Right shin"),
    ("foot_l", "Left foot and ankle"),
    ("foot_r", "Right foot and ankle"),
]
BACK = [
    ("head_back", "Back of the head"),
    ("neck_back", "Back of the neck"),
    ("shoulder_back_l", "Left shoulder blade"),
    ("shoulder_back_r", "Right shoulder blade"),
    ("upper_back", "Upper back"),
    ("lower_back", "Lower back"),
    ("arm_back_l", "Left arm, back"),
    ("arm_back_r", "Right arm, back"),
    ("buttock_l", "Left buttock"),
    ("buttock_r", "Right buttock"),
    ("thigh_back_l", "Left thigh, back"),
    ("thigh_back_r", "Right thigh, back"),
    ("knee_back_l", "Back of the left knee"),
    ("knee_back_r", "Back of the right knee"),
    ("calf_l", "Left calf"),
    ("calf_r", "Right calf"),
    ("heel_l", "Left heel"),
    ("heel_r", "Right heel"),
]
REGIONS = FRONT + BACK
LABELS = dict(REGIONS)

# The dashboard's body-region filter: the map's areas in nine parts. A patient belongs to
# every part that holds an area they marked at intake, kept as one bit a part
# (Intake.pain_regions, copied to PatientSummary.regions).
PARTS = [
    ("head_neck", "Head and neck", ["head_front", "neck_front", "head_back", "neck_back"]),
    (
        "shoulders",
        "Shoulders",
        ["shoulder_front_l", "shoulder_front_r", "shoulder_back_l", "shoulder_back_r"],
    ),
    (
        "arms_hands",
        "Arms and hands",
        ["arm_front_l", "arm_front_r", "arm_back_l", "arm_back_r", "hand_l", "hand_r"],
    ),
    ("chest_belly", "Chest and belly", ["chest", "abdomen"]),
    ("upper_back", "Upper back", ["upper_back"]),
    ("lower_back", "Lower back", ["lower_back"]),
    (
        "hips_thighs",
        "Hips, buttocks and thighs",
        ["hip_front_l", "hip_front_r", "buttock_l", "buttock_r"]
        + ["thigh_front_l", "thigh_front_r", "thigh_back_l", "thigh_back_r"],
    ),
    ("knees", "Knees", ["knee_front_l", "knee_front_r", "knee_back_l", "knee_back_r"]),
    (
        "legs_feet",
        "Lower legs and feet",
        ["shin_l", "shin_r", "calf_l", "calf_r", "foot_l", "foot_r", "heel_l", "heel_r"],
    ),
]
PART_BITS = {key: 1 << n for n, (key, _, _) in enumerate(PARTS)}
_AREA_BITS = {area: PART_BITS[key] for key, _, areas in PARTS for area in areas}


def parts_mask(areas):
    """The bits of the parts that hold any of these map areas (0 for none)."""
    mask = 0
    for area in areas:
        mask |= _AREA_BITS.get(area, 0)
    return mask
