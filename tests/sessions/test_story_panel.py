"""The patient's story beside the note (issue 15): the side panel of the new-session and
edit pages, each part with known data, a first visit against a repeat one, who may see
it, the SOAP section open on a repeat visit, and the pages' query counts at two sizes of
the patient's history. (In a browser, with axe: test_browser_story_panel.py.)"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import PatientSummary, PhaseChange, PsfsActivity, PsfsRating
from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
from tests.progress_helpers import days_ago
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import edit_url, new_url, session_data

pytestmark = pytest.mark.django_db

COMPLAINT = "Low back pain that spreads into the left buttock."


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def start_course(patient, practitioner):
    """Ana's accepted intake 40 days ago: average pain 8, her complaint (for 1 to 5 years)
    and two areas, three PSFS activities rated 4, 3 and 6."""
    intake = StartedCourseFactory(
        patient=patient, accepted_by=practitioner, on=days_ago(40),
        baseline__pain_average=8,
        answers={"pain": {
            "complaint": COMPLAINT, "regions": ["lower_back", "buttock_l"], "since": "1y_5y",
        }},
    )  # fmt: skip
    for position, (name, rating) in enumerate(
        [("Walking the dog", 4), ("Gardening", 3), ("Sitting through a film", 6)], start=1
    ):
        activity = PsfsActivity.objects.create(patient=patient, name=name, position=position)
        PsfsRating.objects.create(
            activity=activity, value=rating, taken_on=days_ago(40), intake=intake
        )
    return intake


def check_in(patient, days, psfs=None, **scores):
    checkin = CheckInFactory(patient=patient, taken_on=days_ago(days), **scores)
    for activity, value in zip(patient.psfs_activities.all(), psfs or [], strict=False):
        PsfsRating.objects.create(
            activity=activity, value=value, taken_on=days_ago(days), checkin=checkin
        )
    return checkin


@pytest.fixture
def story(patient, practitioner):
    """Ana in phase 2 for 12 days, two check-ins (average pain 7, then 5), two signed notes
    and a later draft, and a flag: she takes anticoagulants."""
    start_course(patient, practitioner)
    PhaseChange.objects.create(
        patient=patient, phase=2, started_on=days_ago(12), changed_by=practitioner
    )
    check_in(patient, 20, pain_average=7, psfs=[5, 3, 6])
    check_in(
        patient, 3, pain_average=5, pain_now=4, pain_worst=7, enjoyment=3, activity=4,
        confidence=6, active_minutes=90, psfs=[7, 5, 6],
    )  # fmt: skip
    TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=ago(14), signed=True,
        assessment="Qi stagnation in the lower back", plan="Weekly for four weeks",
    )  # fmt: skip
    second = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=ago(7), signed=True,
        assessment="Less guarding; sleeps better", plan="Add BL40; walk daily",
    )  # fmt: skip
    draft = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=ago(1),
        assessment="Half-written", plan="",
    )  # fmt: skip
    patient.anticoagulants = True
    patient.save()
    PatientSummary.objects.refresh(patient)
    return {"second": second, "draft": draft}


def panel(response):
    """The story panel's HTML, its whitespace folded."""
    html = response.content.decode()
    start = html.index('<details class="card story')
    end = html.index("</details>", start)
    return re.sub(r"\s+", " ", html[start:end])


def section_open(response, key):
    match = re.search(
        rf'<details class="card mb-2" id="section-{key}"( open)?>', response.content.decode()
    )
    assert match, key
    return match.group(1) is not None


# Each part, with known data


def test_it_shows_the_phase_and_the_days_in_it(practitioner_client, patient, story):
    shown = panel(practitioner_client.get(new_url(patient)))
    assert 'is-current" aria-current="step"' in shown
    assert '<span class="phase-track-number">2</span> Build confidence in movement' in shown
    since = days_ago(12)
    assert f"In this phase since {since.day} {since:%b %Y} (12 days)." in shown
    assert "phase 2, day 12" in shown  # the folded panel's gist


def test_it_shows_the_last_signed_notes_assessment_and_plan_with_a_link(
    practitioner_client, patient, story
):
    shown = panel(practitioner_client.get(new_url(patient)))
    second = story["second"]
    on = timezone.localtime(second.started_at)
    assert "Last signed note" in shown
    assert f'<a href="{second.get_absolute_url()}">Session 2, {on.day} {on:%b %Y}</a>' in shown
    assert "Less guarding; sleeps better" in shown and "Add BL40; walk daily" in shown
    assert "Half-written" not in shown  # the later draft is not the story's note
    assert "Qi stagnation" not in shown  # nor the older signed one


def test_a_signed_last_note_is_the_story_s_note(practitioner_client, patient, practitioner):
    start_course(patient, practitioner)
    TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=ago(9), signed=True,
        assessment="The older one",
    )  # fmt: skip
    last = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=ago(2), signed=True,
        assessment="Calmer", plan="Same again",
    )  # fmt: skip
    shown = panel(practitioner_client.get(new_url(patient)))
    on = timezone.localtime(last.started_at)
    assert f'<a href="{last.get_absolute_url()}">Session 2, {on.day} {on:%b %Y}</a>' in shown
    assert "Last signed note" in shown and "Calmer" in shown and "Same again" in shown
    assert "The older one" not in shown


def test_without_a_signed_note_it_shows_the_latest_draft_as_a_draft(
    practitioner_client, patient, practitioner
):
    start_course(patient, practitioner)
    TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=ago(2), assessment="Draft one"
    )
    shown = panel(practitioner_client.get(new_url(patient)))
    assert "Last note (a draft)" in shown and "Draft one" in shown and ">Draft</span>" in shown


def test_it_shows_the_latest_check_in_and_its_change_since_the_intake(
    practitioner_client, patient, story
):
    shown = panel(practitioner_client.get(new_url(patient)))
    on = days_ago(3)
    assert f"{on.day} {on:%b %Y}: average pain 5 (intake 8)," in shown
    assert "3 points, 38 % better: moderate (IMMPACT categories)." in shown
    assert "<dt>Pain now, worst</dt><dd>4, 7</dd>" in shown
    assert "<dd>enjoyment 3, activity 4</dd>" in shown
    assert "<dd>6 (clinic measure)</dd>" in shown
    assert "<dd>90 in the past week</dd>" in shown


def test_it_shows_each_psfs_activity_from_intake_to_latest(practitioner_client, patient, story):
    shown = panel(practitioner_client.get(new_url(patient)))
    rows = re.findall(
        r"<tr><th scope=\"row\"[^>]*>(.*?)</th><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", shown
    )
    cells = [(name, intake, re.sub(r"<[^>]+>", "", latest)) for name, intake, latest in rows]
    assert cells == [
        ("Walking the dog", "4", "7 (+3)"),
        ("Gardening", "3", "5 (+2)"),
        ("Sitting through a film", "6", "6 (0)"),
        ("Mean", "4.3", "6.0"),
    ]


def test_it_shows_the_intakes_complaint_and_pain_areas(practitioner_client, patient, story):
    shown = panel(practitioner_client.get(new_url(patient)))
    on = days_ago(40)
    assert f"At intake ({on.day} {on:%b %Y})</h2>" in shown
    assert f"<dt>Main complaint</dt><dd>{COMPLAINT}</dd>" in shown
    assert "<dt>Pain for</dt><dd>1 to 5 years</dd>" in shown
    assert "<dt>Pain areas</dt><dd>Lower back; Left buttock</dd>" in shown


def test_it_shows_the_safety_flags_and_points_to_the_cautions(practitioner_client, patient, story):
    shown = panel(practitioner_client.get(new_url(patient)))
    assert "takes anticoagulant or antiplatelet medicine" in shown
    assert '<a href="#cautions">Acknowledge each caution</a>' in shown
    assert "1 safety flag" in shown  # the gist
    response = practitioner_client.get(new_url(patient))
    assert 'id="cautions"' in response.content.decode()  # the acknowledgement flow stays


def test_the_edit_page_shows_the_note_before_the_draft(practitioner_client, patient, story):
    response = practitioner_client.get(edit_url(story["draft"]))
    assert response.status_code == 200
    shown = panel(response)
    assert "Less guarding; sleeps better" in shown and "Half-written" not in shown
    assert section_open(response, "soap")


def test_the_edit_page_of_a_first_note_says_there_is_none_before(
    practitioner_client, patient, practitioner
):
    start_course(patient, practitioner)
    draft = TreatmentSessionFactory(patient=patient, practitioner=practitioner, started_at=ago(1))
    TreatmentSessionFactory(patient=patient, practitioner=practitioner, started_at=ago(0))
    shown = panel(practitioner_client.get(edit_url(draft)))
    assert "No earlier note: this is the patient's first session." in shown


# A first visit against a repeat one


def test_a_first_visit_shows_the_intake_and_phase_and_says_there_is_no_earlier_note(
    practitioner_client, patient, practitioner
):
    start_course(patient, practitioner)
    response = practitioner_client.get(new_url(patient))
    shown = panel(response)
    assert "No earlier note: this is the patient's first session." in shown
    assert "no earlier note" in shown  # the gist
    assert COMPLAINT in shown and "Lower back; Left buttock" in shown
    assert '<span class="phase-track-number">1</span> Calm things down' in shown
    assert "No check-in yet." in shown
    assert "No flags recorded." in shown
    assert not section_open(response, "soap")  # today's behaviour: every section folded


def test_a_patient_with_no_intake_is_told_so(practitioner_client, patient):
    shown = panel(practitioner_client.get(new_url(patient)))
    assert "No accepted intake yet." in shown and "No activities named yet." in shown
    assert "no phase yet" in shown


def test_a_repeat_visit_opens_the_soap_notes_and_only_them(practitioner_client, patient, story):
    response = practitioner_client.get(new_url(patient))
    assert section_open(response, "soap")
    assert not section_open(response, "tcm") and not section_open(response, "stricta")


def test_a_section_with_an_error_stays_open_on_a_first_visit(practitioner_client, patient):
    response = practitioner_client.post(new_url(patient), session_data(tongue_body="x" * 101))
    assert response.status_code == 400
    assert section_open(response, "tcm") and not section_open(response, "soap")


def test_the_panel_is_shown_again_beside_a_refused_save(practitioner_client, patient, story):
    response = practitioner_client.post(new_url(patient), session_data(pain_before="11"))
    assert response.status_code == 400
    assert "Less guarding; sleeps better" in panel(response)
    assert section_open(response, "soap")


# Who may see it


def test_an_anonymous_visitor_is_sent_to_log_in(client, patient, story):
    for url in (new_url(patient), edit_url(story["draft"])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(outsider_client, patient, story):
    assert outsider_client.get(new_url(patient)).status_code == 403
    assert outsider_client.get(edit_url(story["draft"])).status_code == 403


def test_a_note_under_another_patients_address_is_a_404(practitioner_client, practitioner, story):
    other = PatientFactory(practitioner=practitioner)
    url = reverse(
        "sessions:edit", kwargs={"patient_uuid": other.uuid, "session_uuid": story["draft"].uuid}
    )
    assert practitioner_client.get(url).status_code == 404
    assert practitioner_client.get(new_url(PatientFactory.build())).status_code == 404


def test_the_page_is_audited_and_not_cached(practitioner_client, patient, story):
    response = practitioner_client.get(new_url(patient))
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, patient_uuid=patient.uuid
    ).exists()


# Query counts, the same with a short and a long history


def history(patient, practitioner, size):
    """`size` signed notes a week apart and `size` check-ins with PSFS ratings."""
    start_course(patient, practitioner)
    for n in range(size):
        TreatmentSessionFactory(
            patient=patient, practitioner=practitioner, started_at=ago(7 * (size - n)),
            signed=True, assessment=f"Note {n}", points=["ST36", "LI4"],
        )  # fmt: skip
        check_in(patient, 7 * (size - n) - 2, pain_average=6, psfs=[5, 5, 5])


@pytest.mark.parametrize("size", [1, 12])
def test_the_new_session_page_is_a_fixed_number_of_queries(
    practitioner_client, practitioner, patient, size, django_assert_num_queries
):
    history(patient, practitioner, size)
    # 1 session, 2 user, 3 permissions, 4 the patient with the practitioner and summary,
    # 5 audit insert, 6 the last note, 7 its points with their catalogue points (the
    # copied rows' codes need no other query), 8 the protocols; the story: 9 the
    # accepted intake, 10 the latest check-in, 11 the PSFS activities with their ratings
    # at intake and latest. The last note is signed: it is the story's note. Without the
    # panel: 8. (Plain queries are faster than one of correlated subqueries:
    # sessions/story.py.)
    with django_assert_num_queries(11):
        response = practitioner_client.get(new_url(patient))
    assert response.status_code == 200
    assert f"Note {size - 1}" in panel(response)


@pytest.mark.parametrize("size", [1, 12])
def test_after_a_draft_the_story_asks_for_the_latest_signed_note(
    practitioner_client, practitioner, patient, size, django_assert_num_queries
):
    history(patient, practitioner, size)
    TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=ago(1), assessment="Half-done"
    )
    with django_assert_num_queries(12):  # the 11 above and the latest signed note
        response = practitioner_client.get(new_url(patient))
    assert f"Note {size - 1}" in panel(response) and "Half-done" not in panel(response)


@pytest.mark.parametrize("size", [1, 12])
def test_the_edit_page_is_a_fixed_number_of_queries(
    practitioner_client, practitioner, patient, size, django_assert_num_queries
):
    history(patient, practitioner, size)
    draft = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=ago(0), points=["ST36", "LI4"]
    )
    # The edit page's 12 (test_editing_a_draft.py) and the story's 4.
    with django_assert_num_queries(16):
        response = practitioner_client.get(edit_url(draft))
    assert response.status_code == 200
    assert f"Note {size - 1}" in panel(response)
