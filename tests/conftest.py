"""Named people for every test: two practitioners, a clinic admin, a user with no role,
an anonymous visitor, a patient and an invited patient; a clinic of five patients of known
course (the dashboard's and the export's); and the browser set-up for the tests marked
`browser`."""

import importlib
import os
import shutil

import pytest
from django.apps import apps

from patients.models import Patient, PatientSummary, PhaseChange, PhaseSuggestion
from sessions.models import AdverseEvent
from tests.factories import (
    CheckInFactory,
    ClinicAdminFactory,
    InvitedPatientFactory,
    PatientFactory,
    PractitionerFactory,
    StartedCourseFactory,
    UserFactory,
)
from tests.progress_helpers import days_ago
from tests.redis_helpers import redis_url  # noqa: F401 (a fixture: the Redis of the tests)
from tests.session_factories import SessionOnDateFactory

# Live-server tests run Django's sync ORM next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def practitioner(db):
    return PractitionerFactory(username="lin", first_name="Lin", last_name="Zhao")


@pytest.fixture
def second_practitioner(db):
    return PractitionerFactory(username="sam", first_name="Sam", last_name="Okafor")


@pytest.fixture
def clinic_admin(db):
    return ClinicAdminFactory(username="alex", first_name="Alex", last_name="Admin")


@pytest.fixture
def outsider(db):
    """Logged in, but with no role in the clinic (say, a former receptionist)."""
    return UserFactory(username="nobody")


@pytest.fixture
def patient(db, practitioner):
    return PatientFactory(
        given_name="Ana",
        family_name="Silva",
        email="ana.silva@example.org",
        practitioner=practitioner,
    )


@pytest.fixture
def invited(db, practitioner):
    """Bea Costa, whom Lin has invited: a name and an email, no date of birth yet."""
    return InvitedPatientFactory(practitioner=practitioner)


@pytest.fixture
def clinic(practitioner, second_practitioner):
    """Five patients of known course:
    - amy: phase 1, 4 sessions, average pain 8 -> 5 (37.5 % better: a responder), 1 AE
    - ben: phase 2 after 2 sessions, 4 sessions, 8 -> 7 (12.5 %: not a responder)
    - cat: phase 2 after 4 sessions, phase 3 after 5; no check-in (not evaluable)
    - dan: active, no intake, no reading: quiet
    - eve: discharged, in phase 2 (not counted among the active)
    """
    amy, ben, cat, dan, eve = (
        PatientFactory(given_name=name, practitioner=practitioner) for name in
        ["Amy", "Ben", "Cat", "Dan", "Eve"]
    )  # fmt: skip
    eve.status = Patient.Status.DISCHARGED
    eve.save()
    for patient in (amy, ben, cat, eve):
        StartedCourseFactory(
            patient=patient, accepted_by=practitioner, on=days_ago(60), baseline__pain_average=8
        )
    for n in range(4):
        session = SessionOnDateFactory(
            patient=amy, practitioner=practitioner, on=days_ago(50 - 7 * n)
        )
        if n == 0:
            AdverseEvent.objects.bulk_create(
                [AdverseEvent(session=session, category="bleeding", severity="mild")]
            )
        SessionOnDateFactory(patient=ben, practitioner=practitioner, on=days_ago(50 - 7 * n))
    for n in range(5):
        SessionOnDateFactory(patient=cat, practitioner=practitioner, on=days_ago(55 - 7 * n))
    CheckInFactory(patient=amy, taken_on=days_ago(3), pain_average=5)
    CheckInFactory(patient=ben, taken_on=days_ago(3), pain_average=7)
    PhaseChange.objects.create(
        patient=ben, phase=2, started_on=days_ago(40), changed_by=practitioner
    )
    PhaseChange.objects.create(
        patient=cat, phase=2, started_on=days_ago(26), changed_by=practitioner
    )
    PhaseChange.objects.create(
        patient=cat, phase=3, started_on=days_ago(10), changed_by=practitioner
    )
    PhaseChange.objects.create(
        patient=eve, phase=2, started_on=days_ago(30), changed_by=practitioner
    )
    PhaseSuggestion.objects.create(
        patient=ben, kind="phase_3", to_phase=3, reason="test", evidence=[],
        evidence_through=days_ago(3),
    )  # fmt: skip
    PatientSummary.objects.refresh_many(Patient.objects.all())  # after the direct phase changes
    return {"amy": amy, "ben": ben, "cat": cat, "dan": dan, "eve": eve}


@pytest.fixture
def practitioner_client(client, practitioner):
    client.force_login(practitioner)
    return client


@pytest.fixture
def admin_client_(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture
def console_errors(page):
    """Script errors, console errors and failed sub-resources (a page's own 400 is expected)."""
    errors = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", on_response)
    return errors


def restore_migrated_data():
    """Put back what data migrations load, which a live-server test's flush removes.

    (Django's serialized_rollback cannot do it here: Playwright's event loop gives the test
    another database connection object, without the serialized copy.)
    """
    from patients.models import ConsentVersion
    from sessions.models import AcupuncturePoint
    from staff.roles import sync_roles

    sync_roles()
    if not AcupuncturePoint.objects.exists():
        loader = importlib.import_module("sessions.migrations.0008_catalogue_corrections")
        loader.load_points(apps, None)
    if not ConsentVersion.objects.exists():
        loader = importlib.import_module("patients.migrations.0004_default_consent")
        loader.add_consent(apps, None)


@pytest.fixture
def browser_db(transactional_db):
    """The database for a browser test, with the data the migrations load."""
    restore_migrated_data()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: the flush after a live-server test empties every table, and the
    tests that run after it expect what the migrations load (roles, the point catalogue)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def chromium_path():
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        "chromium",
        "chromium-browser",
        "google-chrome",
    ):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
