"""The queue of submitted intakes waiting for a practitioner's review: urgent first, then
other red flags, oldest first within each."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import InvitedPatientFactory, SubmittedIntakeFactory
from tests.intake_helpers import accept_url, answer_steps, intake_link

QUEUE = reverse("patients:intake_queue")


@pytest.fixture
def plain(practitioner):
    """An intake without red flags."""
    return SubmittedIntakeFactory(patient=InvitedPatientFactory(practitioner=practitioner))


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_queue(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_cannot_see_the_queue(outsider_client, plain):
    assert outsider_client.get(QUEUE).status_code == 403


def test_the_queue_puts_urgent_first_then_other_red_flags_then_the_rest(
    practitioner_client, practitioner
):
    SubmittedIntakeFactory(
        patient=InvitedPatientFactory(given_name="Olga", family_name="Oldest", unassigned=True)
    )
    SubmittedIntakeFactory(
        patient=InvitedPatientFactory(given_name="Rita", family_name="Redflag", unassigned=True),
        red_flags={"cancer": "yes"},
    )
    SubmittedIntakeFactory(
        patient=InvitedPatientFactory(given_name="Uma", family_name="Urgent", unassigned=True),
        red_flags={"leg_weakness": "yes"},
    )
    SubmittedIntakeFactory(
        patient=InvitedPatientFactory(given_name="Nina", family_name="Newest", unassigned=True)
    )

    response = practitioner_client.get(QUEUE)
    assert response.status_code == 200
    cards = response.content.decode().split('<li class="card')[1:]
    names = [
        next(name for name in ["Uma", "Rita", "Olga", "Nina"] if f"{name} " in card)
        for card in cards
    ]
    assert names == ["Uma", "Rita", "Olga", "Nina"]
    assert "Same-day medical referral" in cards[0]
    assert "border-danger" in cards[0]
    assert all("Same-day medical referral" not in card for card in cards[1:])
    assert "Red flags" in cards[1]
    assert "not reviewed" in cards[0] and "not reviewed" in cards[1]
    assert all("not reviewed" not in card for card in cards[2:])


def test_each_card_names_its_red_flags_in_clinical_words_urgent_first(
    practitioner_client, practitioner
):
    SubmittedIntakeFactory(
        patient=InvitedPatientFactory(given_name="Uma", family_name="Urgent", unassigned=True),
        red_flags={"fever": "yes", "leg_weakness": "yes"},
    )
    card = practitioner_client.get(QUEUE).content.decode().split('<li class="card')[1]
    assert (
        "<strong>Progressive weakness or numbness in the legs</strong>; "
        "Fever, chills or night sweats</p>"
    ) in card


def test_a_card_without_red_flags_names_none(practitioner_client, plain):
    card = practitioner_client.get(QUEUE).content.decode().split('<li class="card')[1]
    assert "intake-queue-flags" not in card


def test_the_queue_leaves_out_intakes_being_filled_in_and_accepted(
    practitioner_client, practitioner
):
    filling = InvitedPatientFactory(given_name="Fay", family_name="Filling", unassigned=True)
    _, token = intake_link(filling)
    answer_steps(Client(), token, ["about", "pain"])
    accepted = SubmittedIntakeFactory(
        patient=InvitedPatientFactory(given_name="Ada", family_name="Accepted", unassigned=True)
    )
    practitioner_client.post(accept_url(accepted))
    waiting = SubmittedIntakeFactory(
        patient=InvitedPatientFactory(given_name="Wes", family_name="Waiting", unassigned=True)
    )

    response = practitioner_client.get(QUEUE)
    assert [intake.pk for intake in response.context["intakes"]] == [waiting.pk]
    page = response.content.decode()
    assert "Fay Filling" not in page
    assert "Wes Waiting" in page


def test_an_empty_queue_says_so(practitioner_client):
    assert "No intakes are waiting." in practitioner_client.get(QUEUE).content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_queue_query_count_does_not_grow_with_the_intakes(
    practitioner_client, practitioner, size, django_assert_num_queries
):
    for n in range(size):
        SubmittedIntakeFactory(
            patient=InvitedPatientFactory(
                given_name=f"Pat{n}", family_name="Queue", unassigned=True
            ),
            red_flags={"fever": "yes"},
        )
    # 1 session, 2 user, 3 permissions, 4 the count for the pagination, 5 the page of
    # intakes with their patients and red-flag reviews, 6 audit insert.
    with django_assert_num_queries(6):
        response = practitioner_client.get(QUEUE)
    assert len(response.context["intakes"]) == size
