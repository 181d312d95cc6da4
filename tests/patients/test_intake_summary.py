"""The intake review's clinical summary (issue 15 item 6): the red flags and the "yes"
safety answers first, in clinical words, never the "no"s; the baseline PEG and PSFS as
patients.scoring computes them; the pain map drawn with the marked areas filled; the goals,
medicines and consent; then every answer, folded, its dates written "12 Mar 1984". (The
review's actions, access and query count: test_intake_review.py.)"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.bodymap import REGIONS
from patients.models import PatientLink
from patients.models.intake import RED_FLAG_CLINICAL, RED_FLAGS
from tests.factories import SubmittedIntakeFactory
from tests.html import html, page_text, text
from tests.intake_helpers import answer_steps


def review_url(intake):
    return reverse(
        "patients:intake", kwargs={"patient_uuid": intake.patient.uuid, "intake_id": intake.pk}
    )


def element(response, element_id):
    """The element with this id, as a reader sees it (its tag must close at its end)."""
    match = re.search(rf'<(\w+)\b[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html(response), re.S)
    assert match, f"no #{element_id} on the page"
    return text(match.group(2))


def table_rows(response, table_id):
    """A table's rows as lists of cell texts, the header and footer rows included."""
    match = re.search(rf'<table\b[^>]*\bid="{table_id}"[^>]*>(.*?)</table>', html(response), re.S)
    assert match, f"no table #{table_id} on the page"
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(1), re.S)
    return [
        [text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row)] for row in rows
    ]


def drawn_areas(response):
    """The pain map's drawn areas: {key: their classes}, front and back."""
    return {
        key: classes.split()
        for classes, key in re.findall(
            r'<(?:path|ellipse|rect) class="([^"]*)" data-region="(\w+)"', html(response)
        )
    }


def position(page, words):
    assert words in page, f"{words!r} is not on the page"
    return page.index(words)


@pytest.fixture
def plain(invited):
    return SubmittedIntakeFactory(patient=invited)


@pytest.fixture
def flagged(invited):
    """Saddle numbness (urgent) and fever; anticoagulants, needle fear, pregnant and due in
    120 days, lymphoedema of the left arm."""
    return SubmittedIntakeFactory(patient=invited, flagged=True)


# Red flags and safety answers first


def test_the_summary_puts_a_yes_red_flag_above_a_no(practitioner_client, invited):
    intake = SubmittedIntakeFactory(patient=invited, red_flags={"fever": "yes"})
    response = practitioner_client.get(review_url(intake))
    page = page_text(response)

    yes = position(page, "Fever, chills or night sweats: yes")
    summary_line = position(page, "No other red flags or safety answers.")
    no = position(page, "Have you lost weight recently without trying? No")  # all answers
    assert yes < summary_line < no
    assert "Unexplained weight loss" not in page  # a "no" is not listed in the summary
    assert position(page, "Red flags and safety") < yes < position(page, "Baseline")


def test_an_urgent_red_flag_comes_first_marked_urgent(practitioner_client, flagged):
    response = practitioner_client.get(review_url(flagged))
    page = page_text(response)
    urgent = position(page, "Urgent Saddle-area numbness or tingling: yes")
    assert urgent < position(page, "Fever, chills or night sweats: yes")
    assert "Urgent red flags: refer for same-day medical assessment" in page
    assert 'class="alert alert-danger"' in html(response)


def test_a_non_urgent_red_flag_is_a_warning(practitioner_client, invited):
    intake = SubmittedIntakeFactory(patient=invited, red_flags={"night_pain": "yes"})
    response = practitioner_client.get(review_url(intake))
    assert "Severe night pain, or pain worse lying down: yes" in page_text(response)
    assert 'class="alert alert-warning"' in html(response)
    assert "alert-danger" not in html(response)


def test_the_yes_safety_answers_are_listed_in_clinical_words(practitioner_client, flagged):
    response = practitioner_client.get(review_url(flagged))
    due = datetime.date.fromisoformat(flagged.answers["health"]["due_date"])
    page = page_text(response)
    safety = page[
        position(page, "Safety answers: cautions for treatment") : position(page, "Baseline")
    ]
    for words in [
        f"Pregnant, due {due:%-d %b %Y}",
        "Takes anticoagulant or antiplatelet medicine",
        "Needle fear or history of fainting",
        "Lymphoedema: left arm",
    ]:
        assert words in safety
    assert "Bleeding disorder" not in safety  # answered no
    assert "Accepting the intake copies them to the patient's safety flags." in safety


def test_once_accepted_the_safety_answers_are_said_to_be_copied(practitioner_client, flagged):
    kwargs = {"patient_uuid": flagged.patient.uuid, "intake_id": flagged.pk}
    practitioner_client.post(
        reverse("patients:review_red_flags", kwargs=kwargs), {"action": "same_day"}
    )
    practitioner_client.post(reverse("patients:accept_intake", kwargs=kwargs))
    page = page_text(practitioner_client.get(review_url(flagged)))
    assert "Copied to the patient's safety flags when the intake was accepted." in page
    assert "Reviewed by Lin Zhao" in page
    assert "Urgent Saddle-area numbness or tingling: yes" in page  # still first


def test_an_intake_without_any_yes_says_so_in_one_line(practitioner_client, plain):
    response = practitioner_client.get(review_url(plain))
    assert element(response, "no-other-flags") == (
        "No red flags or safety answers: every one was answered no."
    )
    page = page_text(response)
    assert "Safety answers: cautions" not in page
    assert 'id="flags-heading"' not in html(response)


def test_a_question_added_after_the_intake_was_sent_is_named_as_not_asked(
    practitioner_client, plain
):
    plain.answers["health"].pop("skin_infection")
    plain.save()
    page = page_text(practitioner_client.get(review_url(plain)))
    assert "Not asked when this intake was sent: skin infection or broken skin at a site." in page


def test_every_red_flag_has_its_clinical_words():
    assert list(RED_FLAG_CLINICAL) == [key for key, _, _ in RED_FLAGS]


# Baseline PEG and PSFS, computed


def test_the_peg_baseline_shows_its_three_items_and_their_mean(practitioner_client, plain):
    rows = table_rows(practitioner_client.get(review_url(plain)), "peg-baseline")
    # The known answers: average pain 7, enjoyment 6, activity 7; mean 6.67, shown 6.7.
    assert rows == [
        ["Past week", "Score"],
        ["Average pain, past week (PEG P)", "7"],
        ["Interference with enjoyment of life (PEG E)", "6"],
        ["Interference with general activity (PEG G)", "7"],
        ["PEG score (mean)", "6.7"],
    ]
    assert "PEG: 0-10, lower is better" in page_text(practitioner_client.get(review_url(plain)))


def test_the_psfs_baseline_shows_each_activity_and_the_mean(practitioner_client, invited):
    intake = SubmittedIntakeFactory(
        patient=invited, measures={"psfs_4": "Climbing stairs", "psfs_4_rating": "2"}
    )
    rows = table_rows(practitioner_client.get(review_url(intake)), "psfs-baseline")
    # 4, 3, 6 and 2: mean 3.75, shown 3.8.
    assert rows == [
        ["Activity", "Rating"],
        ["Walking the dog", "4"],
        ["Gardening", "3"],
        ["Sitting through a film", "6"],
        ["Climbing stairs", "2"],
        ["PSFS score (mean)", "3.8"],
    ]


def test_the_other_measures_of_the_intake_are_shown_with_the_baseline(practitioner_client, plain):
    readings = element(practitioner_client.get(review_url(plain)), "other-readings")
    assert readings == (
        "Pain now 6 Worst pain, past week 9 Movement confidence (clinic measure) 4 "
        "Active minutes, past week 90"
    )


# The pain map


def test_the_marked_areas_are_filled_on_the_drawn_map(practitioner_client, plain):
    response = practitioner_client.get(review_url(plain))
    areas = drawn_areas(response)
    assert set(areas) == {key for key, _ in REGIONS}  # every area drawn, once each
    filled = {key for key, classes in areas.items() if "selected" in classes}
    assert filled == {"lower_back", "buttock_l"}
    assert all("bodymap-region" in classes for classes in areas.values())
    assert "<svg" in html(response) and 'role="img"' in html(response)
    assert "Back of the body, seen from behind, with the marked areas filled" in html(response)


def test_the_marked_areas_are_listed_in_words(practitioner_client, plain):
    response = practitioner_client.get(review_url(plain))
    assert element(response, "marked-areas") == "Lower back Left buttock"


# Goals, medicines, consent


def test_the_goals_and_medicines_follow_the_map(practitioner_client, plain):
    page = page_text(practitioner_client.get(review_url(plain)))
    goals = position(page, "Goals Walk the dog for half an hour without stopping.")
    medicines = position(page, "Medicines Ibuprofen when needed")
    assert position(page, "Where it hurts") < goals < medicines < position(page, "Consent")


def test_the_consent_shows_its_time_and_address(practitioner_client, plain):
    signed = timezone.localtime(plain.consent_at)
    response = practitioner_client.get(review_url(plain))
    assert element(response, "consent") == (
        f"Consent version 2026.1 signed “Beatriz Costa” on {signed:%-d %b %Y, %H:%M}, "
        "from 127.0.0.1."
    )


def test_a_consent_without_a_recorded_address_says_so(practitioner_client, plain):
    type(plain).objects.filter(pk=plain.pk).update(consent_ip=None)
    consent = element(practitioner_client.get(review_url(plain)), "consent")
    assert consent.endswith(", address not recorded.")
    assert "unknown" not in consent


# All the answers, folded, their dates written out


def test_all_the_answers_are_folded_below_the_summary(practitioner_client, plain):
    response = practitioner_client.get(review_url(plain))
    page = html(response)
    details = page[position(page, '<details class="intake-answers') :]
    assert position(page, 'id="consent"') < position(page, '<details class="intake-answers')
    for answer in ["Beatriz", "Low back pain that spreads into the left buttock.", "Mild asthma"]:
        assert answer in details
    assert "<details" in page and " open" not in details.split(">", 1)[0]


def test_the_date_of_birth_is_written_out_with_the_age(practitioner_client, plain):
    today = timezone.localdate()
    age = today.year - 1984 - ((today.month, today.day) < (3, 12))
    response = practitioner_client.get(review_url(plain))
    page = page_text(response)
    assert f"born 12 Mar 1984 (age {age})" in page  # under the heading
    assert f"Date of birth 12 Mar 1984 (age {age})" in page  # in all the answers
    assert "1984-03-12" not in html(response)


def test_the_due_date_is_written_out(practitioner_client, flagged):
    due = flagged.answers["health"]["due_date"]
    response = practitioner_client.get(review_url(flagged))
    written = f"{datetime.date.fromisoformat(due):%-d %b %Y}"
    assert f"If pregnant: your due date {written}" in page_text(response)
    assert due not in html(response)


def test_a_yes_stands_out_among_all_the_answers(practitioner_client, flagged):
    page = html(practitioner_client.get(review_url(flagged)))
    details = page[position(page, '<details class="intake-answers') :]
    # 2 red flags, anticoagulants, needle fear, pregnant, and the consent agreed to
    assert details.count("<dd><strong>Yes</strong></dd>") == 6
    assert "<dd>No</dd>" in details


# An intake still being filled in


def test_an_intake_being_filled_in_summarises_what_is_answered(practitioner_client, invited):
    link, token = PatientLink.issue(invited, PatientLink.Purpose.INTAKE)
    answer_steps(Client(), token, ["about"])
    intake = link.intake
    response = practitioner_client.get(review_url(intake))
    assert response.status_code == 200
    page = page_text(response)
    assert "The red flags are read when the patient sends the intake." in page
    assert "No PEG answers yet." in page
    assert element(response, "consent") == "Not signed yet."
    assert "No areas marked on the pain map." in page
    assert drawn_areas(response) == {}
