"""The point search behind the session form's point picker (sessions/views/points.py)."""

import pytest
from django.urls import reverse

from sessions.models import SEARCH_LIMIT

pytestmark = pytest.mark.django_db

SEARCH = reverse("point_search")


def test_the_point_search_sends_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(SEARCH, {"q": "ST36"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_point_search_refuses_a_user_without_a_role(outsider_client):
    assert outsider_client.get(SEARCH, {"q": "ST36"}).status_code == 403


def test_the_point_search_finds_a_legacy_spelling_first(practitioner_client):
    response = practitioner_client.get(SEARCH, {"q": "liv 3"})
    assert response.status_code == 200
    first = response.json()["points"][0]
    assert first == {
        "code": "LR3",
        "pinyin": "Taichong",
        "channel": "Liver",
        "region": "Foot",
        "side": "B",
        "needles_per_side": 1,
        "flags": [],
        "limb": "leg",
    }


def test_the_point_search_gives_the_side_and_flags_for_the_picker(practitioner_client):
    points = {p["code"]: p for p in practitioner_client.get(SEARCH, {"q": "GV2"}).json()["points"]}
    assert points["GV20"]["side"] == "M"
    gb21 = practitioner_client.get(SEARCH, {"q": "GB21"}).json()["points"][0]
    assert gb21["flags"] == ["pregnancy caution", "over the lung field"]


def test_the_point_search_gives_at_most_twenty_points(practitioner_client):
    points = practitioner_client.get(SEARCH, {"q": "BL"}).json()["points"]
    assert len(points) == SEARCH_LIMIT == 20
    assert [p["code"] for p in points[:3]] == ["BL1", "BL2", "BL3"]


def test_an_empty_point_search_finds_nothing(practitioner_client):
    assert practitioner_client.get(SEARCH, {"q": "  "}).json() == {"points": []}


def test_the_point_search_gives_the_needle_count_side_and_cv8s_flag(practitioner_client):
    def first(query):
        return practitioner_client.get(SEARCH, {"q": query}).json()["points"][0]

    assert (first("yintang")["side"], first("yintang")["needles_per_side"]) == ("M", 1)
    assert (first("baxie")["side"], first("baxie")["needles_per_side"]) == ("B", 4)
    assert first("CV8")["flags"] == ["not needled (moxibustion only)"]
    assert first("jiaji")["region"] == "Upper back and lower back"
