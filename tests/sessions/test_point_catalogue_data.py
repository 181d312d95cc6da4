"""Checks on the WHO point catalogue data file (CLINICAL.md sections 3 and 4)."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

CSV_PATH = Path(__file__).resolve().parents[2] / "sessions/catalogue/who_points.csv"

COLUMNS = [
    "code",
    "channel",
    "number",
    "pinyin",
    "region",
    "second_region",
    "midline",
    "needles_per_side",
    "pregnancy_caution",
    "lung_field",
    "vessel_or_eye",
    "do_not_needle",
    "other_names",
    "caution",
]

CHANNEL_COUNTS = {
    "LU": 11,
    "LI": 20,
    "ST": 45,
    "SP": 21,
    "HT": 9,
    "SI": 19,
    "BL": 67,
    "KI": 27,
    "PC": 9,
    "TE": 23,
    "GB": 44,
    "LR": 14,
    "GV": 28,
    "CV": 24,
}

EXTRA_GROUP_COUNTS = {"HN": 15, "CA": 1, "B": 9, "UE": 11, "LE": 12}

REGIONS = {
    "head",
    "face",
    "neck",
    "chest",
    "abdomen",
    "upper back",
    "lower back",
    "sacrum",
    "upper limb",
    "hand",
    "lower limb",
    "foot",
    "perineum",
}

CLASSICAL_CODE = re.compile(r"^(LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)([1-9][0-9]?)$")
EXTRA_CODE = re.compile(r"^EX-(HN|CA|B|UE|LE)([1-9][0-9]?)$")


def codes(prefix, first, last):
    return {f"{prefix}{number}" for number in range(first, last + 1)}


PREGNANCY_CODES = (
    {"LI4", "SP6", "BL60", "BL67", "GB21"}
    | codes("BL", 31, 34)
    | codes("CV", 2, 7)
    | codes("KI", 11, 16)
    | codes("ST", 25, 30)
    | codes("SP", 12, 15)
)

LUNG_FIELD_CODES = (
    {"LU1", "LU2", "GB21"}
    | codes("ST", 12, 18)
    | codes("KI", 22, 27)
    | codes("SP", 17, 21)
    | codes("BL", 11, 21)
    | codes("BL", 41, 50)
    | {"SI12", "SI13", "TE15", "EX-B3", "EX-B2"}  # EX-B2: its thoracic levels
)

VESSEL_OR_EYE_CODES = {"ST9", "LU9", "BL1", "ST1", "EX-HN7"}


def read_rows():
    with CSV_PATH.open(newline="", encoding="utf-8") as csv_file:
        return list(csv.DictReader(csv_file))


def group_of(row):
    """The channel for classical points, or EX-HN, EX-B, ... for extra points."""
    if row["channel"] == "EX":
        return EXTRA_CODE.match(row["code"]).group(1)
    return row["channel"]


def flagged(rows, column):
    return {row["code"] for row in rows if row[column] == "1"}


@pytest.fixture(scope="module")
def rows():
    return read_rows()


@pytest.fixture(scope="module")
def by_code(rows):
    return {row["code"]: row for row in rows}


def test_the_header_lists_the_columns_in_order():
    with CSV_PATH.open(newline="", encoding="utf-8") as csv_file:
        header = next(csv.reader(csv_file))
    assert header == COLUMNS


def test_it_has_409_points(rows):
    assert len(rows) == 409


def test_every_code_is_unique(rows):
    duplicates = [code for code, n in Counter(row["code"] for row in rows).items() if n > 1]
    assert duplicates == []


def test_it_has_361_classical_points(rows):
    classical = [row for row in rows if row["channel"] != "EX"]
    assert len(classical) == 361
    assert sum(CHANNEL_COUNTS.values()) == 361


def test_each_channel_has_its_who_point_count(rows):
    counts = Counter(row["channel"] for row in rows if row["channel"] != "EX")
    assert dict(counts) == CHANNEL_COUNTS


def test_it_has_48_extra_points_in_five_groups(rows):
    extras = [row for row in rows if row["channel"] == "EX"]
    assert len(extras) == 48
    assert dict(Counter(group_of(row) for row in extras)) == EXTRA_GROUP_COUNTS


def test_numbers_run_from_1_without_gaps_in_each_group(rows):
    numbers = {}
    for row in rows:
        numbers.setdefault(group_of(row), []).append(int(row["number"]))
    for group, found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1)), group


def test_classical_codes_are_channel_letters_and_number_without_hyphen(rows):
    for row in rows:
        if row["channel"] == "EX":
            continue
        match = CLASSICAL_CODE.match(row["code"])
        assert match, row["code"]
        assert match.group(1) == row["channel"]
        assert match.group(2) == row["number"]


def test_extra_codes_keep_their_hyphen(rows):
    for row in rows:
        if row["channel"] != "EX":
            continue
        match = EXTRA_CODE.match(row["code"])
        assert match, row["code"]
        assert match.group(2) == row["number"]


def test_pinyin_is_plain_ascii_letters_with_a_capital_first_letter(rows):
    for row in rows:
        assert re.fullmatch(r"[A-Z][a-z]+", row["pinyin"]), row["code"]


def test_every_region_comes_from_the_fixed_list(rows):
    for row in rows:
        assert row["region"] in REGIONS, row["code"]


@pytest.mark.parametrize(
    "code, pinyin",
    [
        ("ST36", "Zusanli"),
        ("LI4", "Hegu"),
        ("EX-HN3", "Yintang"),
        ("EX-B2", "Jiaji"),
        ("EX-LE10", "Bafeng"),
        ("GV20", "Baihui"),
        ("BL40", "Weizhong"),
    ],
)
def test_well_known_points_have_their_standard_names(by_code, code, pinyin):
    assert by_code[code]["pinyin"] == pinyin


def test_flags_are_0_or_1(rows):
    for row in rows:
        for column in ("midline", "pregnancy_caution", "lung_field", "vessel_or_eye",
                       "do_not_needle"):  # fmt: skip
            assert row[column] in {"0", "1"}, (row["code"], column)


def test_pregnancy_caution_marks_exactly_the_clinical_list(rows):
    assert flagged(rows, "pregnancy_caution") == PREGNANCY_CODES


def test_lung_field_marks_at_least_the_clinical_list(rows):
    missing = LUNG_FIELD_CODES - flagged(rows, "lung_field")
    assert missing == set()


def test_vessel_or_eye_marks_exactly_the_clinical_list(rows):
    assert flagged(rows, "vessel_or_eye") == VESSEL_OR_EYE_CODES


def test_flagged_points_carry_a_caution_and_others_do_not(rows):
    for row in rows:
        flags = ("pregnancy_caution", "lung_field", "vessel_or_eye", "do_not_needle")
        is_flagged = "1" in (row[flag] for flag in flags)
        assert bool(row["caution"].strip()) == is_flagged, row["code"]


# CLINICAL.md 3: GV, CV and the extra points on the midline are one needle on the midline;
# the extra points that are several needles by definition carry them per side.
MIDLINE_EXTRA_POINTS = {"EX-HN1", "EX-HN3", "EX-HN10", "EX-HN11", "EX-B5", "EX-B8", "EX-B9"}
NEEDLES_PER_SIDE = {
    "EX-HN1": 4,  # Sishencong, four around GV20: one group on the midline
    "EX-UE9": 4,  # Baxie, four a hand
    "EX-LE10": 4,  # Bafeng, four a foot
    "EX-UE11": 5,  # Shixuan, five a hand
    "EX-UE10": 4,  # Sifeng, four a hand (beyond CLINICAL.md's list)
    "EX-LE12": 5,  # Qiduan, five a foot (beyond CLINICAL.md's list)
    "EX-UE2": 2,  # Erbai, two an arm (beyond CLINICAL.md's list)
    "EX-UE7": 2,  # Yaotongdian, two a hand (beyond CLINICAL.md's list)
    "EX-LE5": 2,  # Xiyan, both eyes of the knee (beyond CLINICAL.md's list)
}


def test_the_midline_points_are_gv_cv_and_the_midline_extra_points(rows):
    expected = {row["code"] for row in rows if row["channel"] in ("GV", "CV")}
    assert flagged(rows, "midline") == expected | MIDLINE_EXTRA_POINTS


def test_group_points_carry_their_needles_per_side_and_the_rest_one(rows):
    counts = {row["code"]: int(row["needles_per_side"]) for row in rows}
    assert {code: n for code, n in counts.items() if n != 1} == NEEDLES_PER_SIDE


def test_only_cv8_is_not_needled(rows):
    assert flagged(rows, "do_not_needle") == {"CV8"}


def test_cv1_is_on_the_perineum_and_jiaji_spans_the_upper_and_lower_back(by_code):
    assert by_code["CV1"]["region"] == "perineum"
    assert (by_code["EX-B2"]["region"], by_code["EX-B2"]["second_region"]) == (
        "upper back",
        "lower back",
    )
    others = [row for code, row in by_code.items() if code != "EX-B2"]
    assert all(row["second_region"] == "" for row in others)


def test_the_other_names_are_huatuojiaji_and_renzhong(by_code):
    named = {code: row["other_names"] for code, row in by_code.items() if row["other_names"]}
    assert named == {"EX-B2": "Huatuojiaji", "GV26": "Renzhong"}
