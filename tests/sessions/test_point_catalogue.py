import pytest
from django.db import IntegrityError, transaction

from sessions.models import SEARCH_LIMIT, AcupuncturePoint, code_prefix, fold

pytestmark = pytest.mark.django_db


def codes(query):
    return [point.code for point in AcupuncturePoint.objects.search(query)]


def test_the_migration_loads_361_who_points_and_48_extra_points():
    assert AcupuncturePoint.objects.exclude(channel="EX").count() == 361
    assert AcupuncturePoint.objects.filter(channel="EX").count() == 48
    st36 = AcupuncturePoint.objects.get(code="ST36")
    assert (st36.pinyin, st36.channel_name, st36.number, st36.region) == (
        "Zusanli", "Stomach", 36, "lower limb",
    )  # fmt: skip


def test_safety_flags_follow_the_clinical_reference():
    flagged = AcupuncturePoint.objects.filter
    assert {"LI4", "SP6", "BL67", "GB21"} <= set(
        flagged(pregnancy_caution=True).values_list("code", flat=True)
    )
    assert set(flagged(vessel_or_eye=True).values_list("code", flat=True)) == {
        "ST9", "LU9", "BL1", "ST1", "EX-HN7",
    }  # fmt: skip
    assert AcupuncturePoint.objects.get(code="GB21").safety_flags == [
        "pregnancy caution", "over the lung field",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "query, first",
    [
        ("ST36", "ST36"), ("st36", "ST36"), ("st 36", "ST36"), ("ST-36", "ST36"),
        ("St36", "ST36"), ("UB40", "BL40"), ("liv 3", "LR3"), ("LV3", "LR3"),
        ("SJ-5", "TE5"), ("TW5", "TE5"), ("TH5", "TE5"), ("P6", "PC6"), ("HC6", "PC6"),
        ("HE7", "HT7"), ("Du20", "GV20"), ("Ren12", "CV12"), ("ex-hn3", "EX-HN3"),
        ("EXHN3", "EX-HN3"), ("zusanli", "ST36"), ("Zú Sān Lǐ", "ST36"), ("zu san li", "ST36"),
        ("Hegu", "LI4"), ("yintang", "EX-HN3"), ("Taichong", "LR3"),
    ],
)  # fmt: skip
def test_it_finds_points_by_code_legacy_spelling_or_pinyin(query, first):
    assert codes(query)[0] == first


def test_an_exact_code_comes_before_codes_that_begin_with_it():
    assert codes("ST3")[:3] == ["ST3", "ST30", "ST31"]


def test_it_finds_points_by_region():
    found = AcupuncturePoint.objects.search("lower back")
    assert found and all("lower back" in (p.region, p.second_region) for p in found)
    assert "EX-B2" in {point.code for point in found}  # Jiaji spans the upper and lower back


def test_it_returns_at_most_twenty():
    assert len(codes("BL")) == SEARCH_LIMIT


@pytest.mark.parametrize("query", ["", "   ", "xq", "ZZ99", "%", "EX-ZZ1"])
def test_nonsense_finds_nothing_and_does_not_fail(query):
    assert codes(query) == []


def test_it_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        codes("liv 3")


def test_code_prefix_and_fold():
    assert code_prefix("ex") == "EX-"
    assert code_prefix("hegu") is None
    assert fold("Zú-Sān Lǐ") == "zusanli"


def test_clinic_points_get_a_folded_pinyin_and_an_upper_case_code():
    point = AcupuncturePoint.objects.create(
        code="ear-shenmen", channel="CLINIC", pinyin="Shénmén (ear)", region="ear"
    )
    assert (point.code, point.pinyin_folded) == ("EAR-SHENMEN", "shenmenear")
    assert codes("ear-shenmen") == ["EAR-SHENMEN"]
    assert codes("shenmen")[:2] == ["HT7", "EAR-SHENMEN"]


@pytest.mark.parametrize(
    "fields",
    [
        {"code": "ST36"},  # taken
        {"code": "lower"},  # codes are upper case
        {"number": 0, "channel": "ST"},
        {"number": 68, "channel": "BL"},
        {"channel": "XX"},
        {"region": "elbow"},
        {"pinyin": ""},
    ],
)
def test_the_database_refuses_bad_points(fields):
    data = {"code": "NEW1", "channel": "CLINIC", "pinyin": "Xin", "region": "hand"} | fields
    with pytest.raises(IntegrityError), transaction.atomic():
        AcupuncturePoint.objects.bulk_create([AcupuncturePoint(**data)])


class TestAdmin:
    CHANGELIST = "/admin/treatment_sessions/acupuncturepoint/"

    def test_a_practitioner_cannot_open_it(self, practitioner_client):
        assert practitioner_client.get(self.CHANGELIST).status_code == 302  # to admin login

    def test_the_admin_search_understands_legacy_spellings(self, admin_client_):
        response = admin_client_.get(self.CHANGELIST, {"q": "liv 3"})
        assert [point.code for point in response.context["cl"].result_list] == ["LR3"]

    def test_a_clinic_admin_edits_a_points_flags_but_not_its_name(self, admin_client_):
        point = AcupuncturePoint.objects.get(code="ST36")
        url = f"{self.CHANGELIST}{point.pk}/change/"
        response = admin_client_.post(
            url,
            {"code": "XX1", "channel": "ST", "number": 36, "pinyin": "Renamed",
             "region": "lower limb", "needles_per_side": 1, "pregnancy_caution": "on",
             "caution": "Clinic policy."},
        )  # fmt: skip
        assert response.status_code == 302
        point.refresh_from_db()
        assert (point.code, point.pinyin, point.pregnancy_caution) == ("ST36", "Zusanli", True)

    def test_a_clinic_admin_adds_a_clinic_point_but_no_new_who_point(self, admin_client_):
        data = {
            "code": "EAR-SHENMEN", "pinyin": "Shenmen", "region": "ear", "needles_per_side": 1,
            "caution": "",
        }  # fmt: skip
        refused = admin_client_.post(f"{self.CHANGELIST}add/", data | {"channel": "ST"})
        assert refused.status_code == 200 and "channel" in refused.context["adminform"].errors
        admin_client_.post(f"{self.CHANGELIST}add/", data | {"channel": "CLINIC"})
        assert AcupuncturePoint.objects.get(code="EAR-SHENMEN").channel == "CLINIC"

    def test_who_points_cannot_be_deleted(self, admin_client_):
        point = AcupuncturePoint.objects.get(code="LI4")
        assert admin_client_.post(f"{self.CHANGELIST}{point.pk}/delete/").status_code == 403
        assert AcupuncturePoint.objects.filter(code="LI4").exists()
