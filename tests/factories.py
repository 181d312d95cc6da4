"""Factories for people, patients and what a patient's course is made of: users with their
roles, patients (invited or active), an intake sent through the link pages, an accepted
intake that starts a course, and check-ins with their readings. Each leaves the patient's
summary as the app's own writes would. (Treatment sessions: tests/session_factories.py.)

    bea = InvitedPatientFactory(practitioner=lin)
    intake = SubmittedIntakeFactory(patient=bea, red_flags={"saddle": "yes"})
    StartedCourseFactory(patient=ana, accepted_by=lin, on=days_ago(28), baseline__pain_average=8)
    CheckInFactory(patient=ana, taken_on=days_ago(21), pain_average=6, psfs=4)
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from patients.models import (
    CheckIn,
    ConsentVersion,
    Intake,
    OutcomeReading,
    Patient,
    PatientLink,
    PatientSummary,
    PhaseChange,
)
from patients.models.readings import CHECKIN_SCORES
from staff.models import PractitionerProfile
from staff.roles import CLINIC_ADMINS, PRACTITIONERS
from tests.intake_helpers import answer_steps, submit_url
from tests.progress_helpers import BASELINE, moment_on, today

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class PractitionerFactory(UserFactory):
    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        user.groups.add(Group.objects.get(name=PRACTITIONERS))
        PractitionerProfile.objects.create(user=user, display_name=f"Dr {user.last_name}")


class ClinicAdminFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        user.groups.add(Group.objects.get(name=CLINIC_ADMINS))


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient
        skip_postgeneration_save = True

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = datetime.date(1970, 5, 17)
    sex = Patient.Sex.FEMALE
    email = factory.LazyAttribute(lambda p: f"{p.given_name.lower()}@example.org")
    phone = "07700 900123"
    status = Patient.Status.ACTIVE

    @factory.post_generation
    def summary(patient, create, extracted, **kwargs):
        if create:  # as the pages that add a patient leave it
            PatientSummary.objects.refresh(patient)


class InvitedPatientFactory(PatientFactory):
    """A patient the clinic has invited: a name and an email, no date of birth yet.

    `unassigned=True`: someone not yet assigned to a practitioner, with an email of their
    own (`fay@example.org`), as in the queue of intakes."""

    class Params:
        unassigned = factory.Trait(
            practitioner=None,
            email=factory.LazyAttribute(lambda p: f"{p.given_name.lower()}@example.org"),
        )

    given_name = "Bea"
    family_name = "Costa"
    email = "bea.costa@example.org"
    date_of_birth = None
    status = Patient.Status.INVITED


class SubmittedIntakeFactory(factory.django.DjangoModelFactory):
    """The patient fills in the whole intake through a new link and sends it, page by page
    as the browser posts it (the valid answers of tests.intake_helpers). A step's name
    changes that step's answers: `red_flags={"saddle": "yes"}`.

    `flagged=True`: one urgent and one other red flag, and safety answers to copy
    (anticoagulants, needle fear, pregnant and due in 120 days, lymphoedema of the left
    arm)."""

    class Meta:
        model = Intake

    class Params:
        flagged = factory.Trait(
            red_flags={"saddle": "yes", "fever": "yes"},
            health=factory.LazyFunction(
                lambda: {
                    "anticoagulants": "yes",
                    "needle_fear": "yes",
                    "pregnant": "yes",
                    "due_date": (today() + datetime.timedelta(days=120)).isoformat(),
                    "lymphoedema_limb": "left_arm",
                }
            ),
        )

    patient = factory.SubFactory(InvitedPatientFactory)

    @classmethod
    def _create(cls, model_class, patient, **changes):
        link, token = PatientLink.issue(patient, PatientLink.Purpose.INTAKE)
        client = Client()
        answer_steps(client, token, changes=changes)
        response = client.post(submit_url(token))
        assert response.status_code == 302 and "thanks" in response["Location"]
        return model_class.objects.get(link=link)


def closed_intake_link(patient, moment):
    link, _ = PatientLink.issue(patient, PatientLink.Purpose.INTAKE)
    link.closed_at = moment
    link.save(update_fields=["closed_at"])
    return link


class StartedCourseFactory(factory.django.DjangoModelFactory):
    """An accepted intake dated `on` (today by default), built straight in the database, as
    accept_intake leaves it: its closed link, its baseline readings (BASELINE, with
    `baseline__<measure>` changed; a value of None leaves that reading out) and phase 1
    from that day."""

    class Meta:
        model = Intake
        skip_postgeneration_save = True

    class Params:
        on = factory.LazyFunction(today)

    patient = factory.SubFactory(PatientFactory)
    accepted_by = factory.SubFactory(PractitionerFactory)
    accepted_at = factory.LazyAttribute(lambda intake: moment_on(intake.on, 9, 0))
    link = factory.LazyAttribute(
        lambda intake: closed_intake_link(intake.patient, intake.accepted_at)
    )
    status = Intake.Status.ACCEPTED
    step = "consent"
    submitted_at = factory.SelfAttribute("accepted_at")
    consent_version = factory.LazyFunction(ConsentVersion.current)
    consent_name = factory.LazyAttribute(lambda intake: intake.patient.full_name)
    consent_at = factory.SelfAttribute("accepted_at")

    @factory.post_generation
    def baseline(intake, create, extracted, **measures):
        if not create:
            return
        on = timezone.localtime(intake.accepted_at).date()
        values = {**BASELINE, **(extracted or {}), **measures}
        OutcomeReading.objects.bulk_create(
            OutcomeReading(
                patient=intake.patient, measure=m, value=v, taken_on=on, source="intake",
                intake=intake,
            )
            for m, v in values.items()
            if v is not None
        )  # fmt: skip

    @factory.post_generation
    def phase(intake, create, extracted, **kwargs):
        if create:
            PhaseChange.objects.create(
                patient=intake.patient,
                phase=1,
                started_on=timezone.localtime(intake.accepted_at).date(),
                changed_by=intake.accepted_by,
                reason="Intake accepted",
            )

    @factory.post_generation
    def summary(intake, create, extracted, **kwargs):
        if create:
            PatientSummary.objects.refresh(intake.patient)


class CheckInFactory(factory.django.DjangoModelFactory):
    """A check-in on `taken_on` (today by default) and its readings: average pain (5 unless
    given), and every other measure given as a keyword (peg, psfs, confidence,
    active_minutes, ...). The check-in row's own scores are taken from them where they
    exist, 5 otherwise (60 active minutes)."""

    class Meta:
        model = CheckIn

    patient = factory.SubFactory(PatientFactory)
    taken_on = factory.LazyFunction(today)
    pain_average = 5

    @classmethod
    def _create(cls, model_class, patient, taken_on, **measures):
        measures = {"pain_average": measures.pop("pain_average"), **measures}
        row = dict.fromkeys(CHECKIN_SCORES, 5) | {"active_minutes": 60}
        row |= {name: int(value) for name, value in measures.items() if name in CHECKIN_SCORES}
        checkin = model_class.objects.create(patient=patient, taken_on=taken_on, **row)
        OutcomeReading.objects.bulk_create(
            OutcomeReading(
                patient=patient, measure=m, value=v, taken_on=taken_on, source="checkin",
                checkin=checkin,
            )
            for m, v in measures.items()
        )  # fmt: skip
        PatientSummary.objects.refresh(patient)
        return checkin
