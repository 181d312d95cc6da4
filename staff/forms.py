"""The staff's own forms: a password reset whose email goes through the task queue, the
second step's code, and the admin's team-member forms."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserChangeForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.mail import seal
from core.tasks import send_email
from staff.models import PractitionerProfile
from staff.roles import CLINIC_ADMINS, PRACTITIONERS

User = get_user_model()


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


class TeamMemberForm(forms.ModelForm):
    """The admin's "Add a team member": who they are, their role, and for a practitioner
    the name their notes carry. They get no password: an email lets them choose one."""

    ROLES = [(PRACTITIONERS, "Practitioner"), (CLINIC_ADMINS, "Clinic admin")]

    role = forms.ChoiceField(choices=ROLES, widget=forms.RadioSelect)
    display_name = forms.CharField(
        label="Name on their notes",
        max_length=100,
        required=False,
        help_text='For a practitioner, e.g. "Lin Zhao, Lic.Ac."',
    )
    qualification = forms.CharField(max_length=200, required=False)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A team member already has this email address.")
        return email

    def clean(self):
        data = super().clean()
        if data.get("role") == PRACTITIONERS and not data.get("display_name", "").strip():
            self.add_error("display_name", "A practitioner's notes need a name on them.")
        return data

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        # Clinic admins work in the Django admin; practitioners do not.
        user.is_staff = self.cleaned_data["role"] == CLINIC_ADMINS
        if commit:
            self.save_team_member(user)
        return user

    def save_team_member(self, user):
        user.save()
        user.groups.set([Group.objects.get(name=self.cleaned_data["role"])])
        if self.cleaned_data["role"] == PRACTITIONERS:
            PractitionerProfile.objects.create(
                user=user,
                display_name=self.cleaned_data["display_name"].strip(),
                qualification=self.cleaned_data["qualification"],
            )


def welcome_link(request, user):
    """The address at which `user` chooses their password (Django's password reset link,
    valid for PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send_welcome(request, user):
    """Queue the email that welcomes a new team member with the link to their password."""
    context = {
        "user": user,
        "link": welcome_link(request, user),
        "clinic_name": settings.CLINIC_NAME,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    body = loader.render_to_string("registration/welcome_email.txt", context)
    send_email.enqueue(seal(user.email), f"Your account at {settings.CLINIC_NAME}", seal(body))


class RoleRequiredChangeForm(UserChangeForm):
    """The admin's user form: someone without a role would log in to "Not allowed", so a
    staff member who is not a superuser must keep one."""

    def clean(self):
        data = super().clean()
        groups = data.get("groups")
        if groups is not None and not groups and not data.get("is_superuser"):
            self.add_error("groups", "Choose a role: Practitioners or Clinic admins.")
        return data
