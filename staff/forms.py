"""The staff's own forms: a password reset whose email goes through the task queue."""

from django import forms
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


class CodeForm(forms.Form):
    """A code of the second step: six digits from the app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())
