"""staff.backends.ModelBackend: a user's own and group permissions, read in one query."""

import pytest
from django.contrib.auth.models import Group, Permission, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    user = User.objects.create_user("kim", password="x")
    group = Group.objects.create(name="Readers")
    group.permissions.add(Permission.objects.get(codename="view_patient"))
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="add_patient"))
    return User.objects.get(pk=user.pk)


def test_it_sees_own_and_group_permissions_in_one_query(person, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert person.has_perm("patients.view_patient")  # from the group
        assert person.has_perm("patients.add_patient")  # the user's own
        assert not person.has_perm("patients.delete_patient")


def test_an_inactive_user_has_no_permissions(person):
    person.is_active = False
    assert not person.has_perm("patients.view_patient")


def test_a_superuser_has_every_permission():
    boss = User.objects.create_superuser("boss", password="x")
    assert boss.get_all_permissions() == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
