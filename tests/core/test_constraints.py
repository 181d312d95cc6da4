"""core.constraints decides plain check constraints in Python, as the database would,
and still names the failing constraint when one fails."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value

from core.constraints import NotPlain, decide, field_names
from sessions.models import TreatmentSession
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "score": models.DecimalField(max_digits=4, decimal_places=2),
    "other": models.IntegerField(),
    "side": models.CharField(),
    "kind": models.CharField(),
    "name": models.CharField(),
    "due": models.DateField(),
    "pregnant": models.BooleanField(),
    "at": models.DateTimeField(),
}
CASES = [
    (Q(score__lte=10), {"score": 10}),
    (Q(score__lte=10), {"score": 11}),
    (Q(score__lte=10), {"score": None}),  # NULL: unknown, which a CHECK lets through
    (Q(score__gte=0, score__lte=10), {"score": Decimal("-0.5")}),
    (Q(side__in=["L", "R", "B", "M"]), {"side": "X"}),
    (Q(side__in=["L", "R", "B", "M"]), {"side": "M"}),
    (Q(kind="") | Q(kind__in=["a", "b"]), {"kind": "c"}),
    (Q(kind="") | Q(kind__in=["a", "b"]), {"kind": ""}),
    (~Q(name=""), {"name": ""}),
    (~Q(name=""), {"name": "Ana"}),
    (Q(due__isnull=True) | Q(pregnant=True), {"due": None, "pregnant": False}),
    (Q(due__isnull=True) | Q(pregnant=True), {"due": datetime.date(2027, 1, 1), "pregnant": False}),
    (Q(at__gte=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)),
     {"at": datetime.datetime(1999, 12, 31, tzinfo=datetime.UTC)}),
    (Q(score__lte=10) | Q(other__gt=3), {"score": None, "other": 1}),
    (Q(score__lte=10) & Q(other__gt=3), {"score": None, "other": 1}),
    (~(Q(score__lte=10) & Q(other__gt=3)), {"score": None, "other": 5}),
]  # fmt: skip


@pytest.mark.parametrize(("condition", "values"), CASES)
def test_python_agrees_with_the_database(condition, values):
    result = decide(condition, values)
    against = {name: Value(value, FIELDS[name]) for name, value in values.items()}
    assert (result is not False) == condition.check(against)


def test_a_condition_that_compares_two_fields_is_left_to_the_database():
    with pytest.raises(NotPlain):
        decide(Q(low__lte=F("high")), {"low": 1, "high": 2})


def test_a_failing_constraint_is_still_named(practitioner):
    session = TreatmentSession(
        patient=PatientFactory(),
        practitioner=practitioner,
        started_at=datetime.datetime(2025, 3, 4, 10, 30, tzinfo=datetime.UTC),
        session_number=1,
        pain_before=11,
    )
    with pytest.raises(ValidationError) as caught:
        session.validate_constraints()
    assert "session_pain_before_range" in str(caught.value)


def test_it_finds_the_fields_a_condition_compares_with_f():
    assert sorted(field_names(Q(low__lte=F("high")))) == ["high", "low"]


def test_an_expression_condition_is_left_to_django():
    from django.db.models.lookups import GreaterThan

    with pytest.raises(NotPlain):
        list(field_names(Q(GreaterThan(F("score"), 10))))
