"""The password reset's email through the task queue's database backend and a worker: the
page answers without it, the queue's table holds neither the address nor the reset link,
and the worker sends it."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reset_email_waits_sealed_for_the_worker(client, practitioner, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.post("/accounts/password_reset/", {"email": "lin@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
    [waiting] = DBTaskResult.objects.all()
    assert "lin@example.org" not in str(waiting.args_kwargs)
    assert "/accounts/reset/" not in str(waiting.args_kwargs)

    call_command("db_worker", batch=True, interval=0, reload=False, stdout=io.StringIO())
    [email] = mail.outbox
    assert email.to == ["lin@example.org"] and "/accounts/reset/" in email.body
