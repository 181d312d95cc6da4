"""Create a demo clinic with synthetic people: `python manage.py seed_demo [--patients N]`.

Idempotent: running it again resets the demo passwords and adds only the patients that
are missing. Every name, address and number is made up (example.org addresses and the
07700 900xxx numbers reserved for fiction).
"""

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.bulk import analyze, bulk_load
from demo.course import plan_course
from demo.intakes import seed_intakes_and_checkins, seed_waiting_intakes
from demo.notes import seed_protocols, seed_sessions
from patients.models import (
    CheckIn,
    Intake,
    OutcomeReading,
    Patient,
    PatientLink,
    PatientSummary,
    PhaseChange,
    PsfsActivity,
    PsfsRating,
    RedFlagReview,
    Reminder,
)
from patients.models.records import CADENCE_DAYS
from patients.models.reminders import reminder_due_on
from patients.progress import refresh_suggestion
from sessions.models import AdverseEvent, SessionPoint, TreatmentSession
from staff.models import AcupunctureStyle, PractitionerProfile
from staff.roles import CLINIC_ADMINS, PRACTITIONERS

DEMO_PASSWORD = "demo-clinic-2026"
DEMO_NAMESPACE = uuid.UUID("5f0c7a52-2b4e-4c1e-9a57-1c0de0c1a1c0")
CHUNK = 1000  # patients planned and written at a time
# Every table a course of care writes to.
COURSE_MODELS = [
    PatientLink, Intake, RedFlagReview, PsfsActivity, PsfsRating, CheckIn, OutcomeReading,
    PhaseChange, TreatmentSession, SessionPoint, AdverseEvent,
]  # fmt: skip


def is_demo_database():
    """Whether seed_demo made this database. The benchmark and the load test write notes
    and check-ins into patients' records, so they run only on such a database."""
    return Patient.objects.filter(uuid=uuid.uuid5(DEMO_NAMESPACE, "patient-0")).exists()


GIVEN_NAMES = [
    "Amara",
    "Ben",
    "Chiara",
    "Dev",
    "Elif",
    "Farid",
    "Greta",
    "Hana",
    "Ines",
    "Jonah",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zara",
    "Arlo",
    "Bea",
    "Cyrus",
    "Dilys",
    "Emeka",
    "Freya",
    "Gus",
    "Hazel",
    "Idris",
    "Juno",
    "Kai",
    "Lotte",
    "Milo",
    "Noor",
    "Otto",
    "Pia",
    "Rafe",
    "Saoirse",
    "Theo",
    "Una",
    "Viggo",
    "Wren",
    "Yara",
    "Zeb",
]
FAMILY_NAMES = [
    "Abbott",
    "Brennan",
    "Castell",
    "Dimitrov",
    "Eriksen",
    "Fairweather",
    "Galloway",
    "Hartmann",
    "Ilunga",
    "Jovanovic",
    "Kowalczyk",
    "Lindqvist",
    "Marlowe",
    "Nakamura",
    "Okonjo",
    "Pellegrini",
    "Quarry",
    "Rowntree",
    "Sandoval",
    "Thackeray",
    "Umbers",
    "Vasquez",
    "Whitlock",
    "Yilmaz",
    "Zielinski",
    "Ashdown",
    "Bellamy",
    "Crowther",
    "Delacroix",
    "Everly",
    "Fennimore",
    "Greaves",
    "Holloway",
    "Iverson",
    "Jarrow",
    "Kettering",
    "Lockhart",
    "Moorcroft",
    "Northey",
    "Ormerod",
]
# Roughly what a chronic-pain practice's register looks like.
CADENCE_CYCLE = ["weekly"] * 5 + ["fortnightly", "four_weekly", "none"]
STATUS_CYCLE = (
    ["active"] * 12 + ["invited"] * 2 + ["intake_submitted"] * 2 + ["discharged"] * 3 + ["archived"]
)


class Command(BaseCommand):
    help = "Create demo users and synthetic patients (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=40, help="how many demo patients")
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even with DJANGO_DEBUG off (never on a real clinic's database)",
        )

    def handle(self, *args, patients, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with "
                "DJANGO_DEBUG=true (or --force on a throwaway database)."
            )
        if patients < 0:
            raise CommandError("--patients must be 0 or more")
        with transaction.atomic():
            admin = self.user("admin", "Alex", "Admin", CLINIC_ADMINS, is_staff=True)
            lin = self.practitioner("lin", "Lin", "Zhao", "Dr Lin Zhao", "MSc Chinese medicine", 14)
            sam = self.practitioner("sam", "Sam", "Okafor", "Sam Okafor", "BSc acupuncture", 6)
            created = self.patients(patients, [lin, sam])
            protocols = seed_protocols([lin, sam])
            sessions, intakes, checkins, suggesting = self.courses(protocols)
            waiting = Patient.objects.filter(
                status=Patient.Status.INTAKE_SUBMITTED,
                date_of_birth__isnull=False,
                intakes__isnull=True,
            ).order_by("pk")
            intakes += seed_waiting_intakes(waiting)
            PatientSummary.objects.refresh_many(
                Patient.objects.all()
            )  # bulk inserts bypass the actions
            analyze([Patient, PatientSummary])  # planned for their size, as bulk_load does
            # The rules' suggestions: one evaluation a patient, for those whose planned
            # course ends on one (demo.course applies the same rules).
            for patient in Patient.objects.filter(pk__in=suggesting):
                refresh_suggestion(patient)
            seed_reminders(timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready: {created} new patients, {sessions} new sessions, "
                f"{intakes} intakes, {checkins} check-ins."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user, role in ((lin, "practitioner"), (sam, "practitioner"), (admin, "clinic admin")):
            self.stdout.write(f"  {user.username:<6} {role}")

    def user(self, username, first, last, group_name, is_staff=False):
        user, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_staff": is_staff},
        )
        user.email = f"{username}@example.org"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        return user

    def practitioner(self, username, first, last, display_name, qualification, years):
        user = self.user(username, first, last, PRACTITIONERS)
        PractitionerProfile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": display_name,
                "qualification": qualification,
                "years_in_practice": years,
                "default_needle_diameter_mm": Decimal("0.25"),
                "default_needle_length_mm": 40,
                "default_retention_minutes": 20,
                "acupuncture_style": AcupunctureStyle.TCM,
            },
        )
        return user

    def courses(self, protocols):
        """Plan and write the course of care of every patient in care who has none yet,
        a chunk of patients at a time. Returns the sessions, intakes and check-ins created,
        and the patients whose course ends on one of the rules' suggestions."""
        patients = Patient.objects.filter(
            status__in=[Patient.Status.ACTIVE, Patient.Status.DISCHARGED],
            practitioner__isnull=False,
            date_of_birth__isnull=False,
            intakes__isnull=True,
            treatment_sessions__isnull=True,
        ).order_by("pk")
        patients = list(patients)
        today = timezone.localdate()
        sessions = intakes = checkins = 0
        suggesting = []
        if not patients:
            return sessions, intakes, checkins, suggesting
        with bulk_load(COURSE_MODELS):
            for start in range(0, len(patients), CHUNK):
                chunk = patients[start : start + CHUNK]
                plans = [plan_course(patient, today) for patient in chunk]
                sessions += seed_sessions(plans, protocols)
                new_intakes, new_checkins = seed_intakes_and_checkins(plans)
                intakes, checkins = intakes + new_intakes, checkins + new_checkins
                suggesting += [plan.patient.pk for plan in plans if plan.suggestion]
        return sessions, intakes, checkins, suggesting

    def patients(self, count, practitioners):
        before = Patient.objects.count()
        batch = []
        for i in range(count):
            batch.append(demo_patient(i, practitioners[i % len(practitioners)]))
            if len(batch) == 1000:
                Patient.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Patient.objects.bulk_create(batch, ignore_conflicts=True)
        return Patient.objects.count() - before


def demo_patient(i, practitioner):
    given = GIVEN_NAMES[i % len(GIVEN_NAMES)]
    # 50 given names x 40 family names: (b + 11a) mod 40 walks all 40 for each given name
    # (11 and 40 are coprime), so names mix in the list and repeat only every 2,000.
    a, b = divmod(i % 2000, len(GIVEN_NAMES))
    family = FAMILY_NAMES[(b + 11 * a) % len(FAMILY_NAMES)]
    # Ages 20 to 88; a repeated name gets another birthday.
    born = date(1938, 1, 1) + timedelta(days=(i * 7919) % 24800)
    return Patient(
        uuid=uuid.uuid5(DEMO_NAMESPACE, f"patient-{i}"),
        given_name=given,
        family_name=family,
        date_of_birth=born,
        sex=("female", "male", "female", "not_stated", "male", "intersex")[i % 6],
        email=f"{given.lower()}.{family.lower()}{i}@example.org",
        phone=f"07700 900{i % 1000:03d}",
        emergency_contact_name=f"{GIVEN_NAMES[(i + 7) % len(GIVEN_NAMES)]} {family}",
        emergency_contact_phone=f"07700 900{(i + 500) % 1000:03d}",
        practitioner=practitioner,
        status=STATUS_CYCLE[i % len(STATUS_CYCLE)],
        # Check-in reminders: most weekly, some less often or none; four in five agree.
        checkin_cadence=CADENCE_CYCLE[i % len(CADENCE_CYCLE)],
        reminder_consent=i % 5 != 4,
    )


def seed_reminders(today):
    """Reminders the demo patients have had: those weeks behind with their check-ins,
    three since the last (unanswered: stopped, to restart); of the others, one in two one
    on the morning of their last check-in (answered), and one in four, if a check-in is
    due again, also one now (not answered yet). One query for the patients, one INSERT.
    They carry no link (a demo sends no email)."""
    reminders = []
    for patient in Patient.objects.may_be_reminded().order_by("pk"):
        last_on = patient.last_checkin_on
        if last_on is None:
            continue
        due_on = reminder_due_on(patient.checkin_cadence, last_on, today)
        cadence = timedelta(days=CADENCE_DAYS[patient.checkin_cadence])
        if due_on is not None and due_on - 2 * cadence > last_on:  # sent now: after it
            reminders += [
                Reminder(patient=patient, due_on=due_on - n * cadence, channel="email")
                for n in range(3)
            ]
            continue
        if patient.pk % 2:
            continue
        morning = timezone.make_aware(datetime.combine(last_on, time(8, 0)))
        reminders.append(
            Reminder(patient=patient, due_on=last_on, channel="email", sent_at=morning)
        )
        if patient.pk % 4 == 0 and due_on is not None:
            reminders.append(Reminder(patient=patient, due_on=due_on, channel="email"))
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return len(reminders)
