"""`manage.py seed_demo`: a demo clinic with synthetic people, safe to run twice."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.test import RequestFactory

from patients.models import Intake, Patient
from sessions.models import SessionPoint, TreatmentSession
from staff.models import PractitionerProfile
from staff.roles import CLINIC_ADMINS, PRACTITIONERS

User = get_user_model()


def seed(*args, **options):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **options)
    return out.getvalue()


def printed_password(output):
    return re.search(r"password for all: (\S+)\)", output).group(1)


@pytest.fixture
def debug(settings, db):
    settings.DEBUG = True


def test_it_creates_two_practitioners_an_admin_and_the_patients(debug):
    seed(patients=30)
    for username in ["lin", "sam"]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [PRACTITIONERS]
        assert PractitionerProfile.objects.filter(user=user).exists()
    admin = User.objects.get(username="admin")
    assert list(admin.groups.values_list("name", flat=True)) == [CLINIC_ADMINS]
    assert admin.is_staff and not admin.is_superuser
    assert Patient.objects.count() == 30
    # Each sent intake's consent has an address, as a submission records it.
    sent = Intake.objects.exclude(status="started")
    assert sent.exists() and not sent.filter(consent_ip=None).exists()


def test_running_it_again_creates_no_duplicates_and_the_password_still_works(debug):
    seed(patients=30)
    output = seed(patients=30)
    assert (User.objects.count(), Patient.objects.count()) == (3, 30)
    assert PractitionerProfile.objects.count() == 2
    request = RequestFactory().post("/accounts/login/")
    for username in ["lin", "sam", "admin"]:
        user = authenticate(request, username=username, password=printed_password(output))
        assert user is not None and user.username == username


def test_it_refuses_to_run_with_debug_off_unless_forced(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        seed(patients=1)
    assert not User.objects.exists()
    seed(patients=1, force=True)
    assert Patient.objects.count() == 1


def test_it_can_create_the_users_without_patients(debug):
    assert "0 new patients" in seed("--patients", "0")
    assert (User.objects.count(), Patient.objects.count()) == (3, 0)


def test_it_refuses_a_negative_number_of_patients(debug):
    with pytest.raises(CommandError, match="--patients"):
        seed("--patients", "-1")


def test_each_demo_patients_open_suggestion_is_what_the_rules_say(debug):
    """The demo plans courses with its own copy of the rules (demo.course): it
    must agree with patients.rules on every patient."""
    from patients.progress import course_for
    from patients.rules import suggest

    seed(patients=60)
    treated = Patient.objects.filter(phase_changes__isnull=False).distinct()
    assert treated.count() > 20
    for patient in treated:
        course = (
            course_for(patient) if patient.status == "active" else None
        )  # none when out of care
        found = suggest(course) if course else None
        waiting = patient.phase_suggestions.filter(status="open").first()
        assert (found.kind if found else None) == (waiting.kind if waiting else None), patient


def test_the_demo_patients_summaries_match_their_history(debug):
    from patients.models import PatientSummary

    seed(patients=60)
    seeded = list(PatientSummary.objects.order_by("pk").values())
    PatientSummary.objects.all().delete()
    PatientSummary.objects.refresh_many(Patient.objects.all())
    assert list(PatientSummary.objects.order_by("pk").values()) == seeded
    assert len(seeded) == Patient.objects.count()


def test_its_signed_notes_are_locked_by_the_database_after_the_load(debug):
    seed()
    signed = TreatmentSession.objects.filter(status="signed").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        TreatmentSession.objects.filter(pk=signed.pk).update(subjective="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionPoint.objects.filter(session=signed).update(side="L")
