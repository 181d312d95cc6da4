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
