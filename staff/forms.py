"""The staff's own forms: a password reset whose email goes through the task queue."""

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from core.mail import seal
from core.tasks import send_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, but the email is queued (core.tasks.send_email) instead of
    sent in the request; its address and body, which holds the reset link, go in sealed."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(seal(to_email), subject, seal(body))
