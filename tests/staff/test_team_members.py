"""Adding a team member in one step from the admin: a practitioner (in the Practitioners
group, with a profile, emailed a link to choose a password that works) or a clinic admin;
bad input is a 400 that keeps what was typed; nobody is left without a role by mistake."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from staff.roles import CLINIC_ADMINS, PRACTITIONERS
from tests.html import html

pytestmark = pytest.mark.django_db

ADD = "/admin/auth/user/add/"
User = get_user_model()


@pytest.fixture
def admin_client_(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


def member(**changes):
    return {
        "first_name": "Mei",
        "last_name": "Chen",
        "email": "mei.chen@example.org",
        "username": "mei",
        "role": PRACTITIONERS,
        "display_name": "Mei Chen, Lic.Ac.",
        "qualification": "Lic.Ac.",
    } | changes


def test_a_practitioner_is_added_in_one_step_and_emailed_a_password_link(admin_client_, client):
    response = admin_client_.post(ADD, member())
    assert response.status_code == 302
    mei = User.objects.get(username="mei")
    assert [group.name for group in mei.groups.all()] == [PRACTITIONERS]
    assert mei.practitioner_profile.display_name == "Mei Chen, Lic.Ac."
    assert not mei.has_usable_password() and not mei.is_staff
    [email] = mail.outbox
    assert email.to == ["mei.chen@example.org"] and "Your username is mei" in email.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", email.body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    assert "new_password1" in html(page)  # the link opens the set-password form


def test_a_clinic_admin_is_added_with_admin_access(admin_client_):
    admin_client_.post(ADD, member(username="kit", email="kit@example.org", role=CLINIC_ADMINS))
    kit = User.objects.get(username="kit")
    assert [group.name for group in kit.groups.all()] == [CLINIC_ADMINS] and kit.is_staff
    assert not hasattr(kit, "practitioner_profile")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "This field is required."),
        ({"display_name": ""}, "A practitioner&#x27;s notes need a name on them."),
        ({"email": "lin@example.org"}, "A team member already has this email address."),
    ],
)
def test_bad_input_is_a_400_that_keeps_what_was_typed(
    admin_client_, practitioner, changes, message
):
    response = admin_client_.post(ADD, member(**changes))
    assert response.status_code == 400
    page = html(response)
    assert message in page and 'value="Mei"' in page
    assert not User.objects.filter(username="mei").exists()


def test_a_staff_member_cannot_be_left_without_a_role(admin_client_, practitioner):
    url = f"/admin/auth/user/{practitioner.pk}/change/"
    page = admin_client_.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in ("username", "first_name", "last_name", "email")}
    data |= {"is_active": "on", "practitioner_profile-TOTAL_FORMS": "1",
             "practitioner_profile-INITIAL_FORMS": "1"}  # fmt: skip
    response = admin_client_.post(url, data)
    assert response.status_code == 400
    assert "Choose a role: Practitioners or Clinic admins." in html(response)
    assert practitioner.groups.filter(name=PRACTITIONERS).exists()
