"""Links sent to patients: the staff pages that send and revoke them, a link made expired
or closed behind the app's back, and where a token might have been stored."""

import datetime

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from patients.models import PatientLink

INVITE_URL = reverse("patients:invite")


def send_intake_url(patient):
    return reverse("patients:send_intake_link", kwargs={"patient_uuid": patient.uuid})


def send_checkin_url(patient):
    return reverse("patients:send_checkin_link", kwargs={"patient_uuid": patient.uuid})


def revoke_url(link):
    return reverse(
        "patients:revoke_link", kwargs={"patient_uuid": link.patient.uuid, "link_id": link.pk}
    )


def make_expired(link):
    now = timezone.now()
    PatientLink.objects.filter(pk=link.pk).update(
        created_at=now - datetime.timedelta(days=15), expires_at=now - datetime.timedelta(seconds=1)
    )


def make_closed(link):
    PatientLink.objects.filter(pk=link.pk).update(closed_at=timezone.now())


def tables_containing(text):
    """Every table with `text` in any column of any row."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(text in str(value) for row in cursor.fetchall() for value in row):
                found.append(table)
    return found
