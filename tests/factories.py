import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from patients.models import Patient, PatientSummary
from staff.models import PractitionerProfile
from staff.roles import CLINIC_ADMINS, PRACTITIONERS

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
