"""Validate a model's check constraints without a query each.

Django checks every CheckConstraint of a ModelForm's model with its own `SELECT 1 WHERE
...`: a session note with six points cost thirty queries before anything was saved. This
mixin decides the plain conditions (a field compared with a constant: exact, in, lt, lte,
gt, gte, isnull; combined with AND, OR and NOT) in Python, with SQL's three-valued logic,
and asks the database about the rest in one query. Only if something fails does it fall
back to Django's one-by-one check, which names the failing constraint and its message.
The database enforces every constraint whatever happens here. Measured against Django's own
`validate_constraints()` in docs/performance.md (the session POST: 27 queries, not 120).
"""

import operator

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import CheckConstraint, F, Q, Value
from django.db.models.constants import LOOKUP_SEP

COMPARISONS = {
    "exact": operator.eq,
    "in": lambda value, choices: value in choices,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


class NotPlain(Exception):
    """A condition Python does not decide here; the database will."""


def field_names(condition):
    """The model fields a constraint's condition reads; NotPlain for a child that is an
    expression rather than a lookup (Django's own check is left to handle it)."""
    for child in condition.children:
        if isinstance(child, Q):
            yield from field_names(child)
            continue
        if not isinstance(child, tuple):
            raise NotPlain
        lookup, value = child
        yield lookup.split(LOOKUP_SEP)[0]
        parts = value.flatten() if hasattr(value, "flatten") else [value]
        for part in parts:
            if isinstance(part, F):
                yield part.name.split(LOOKUP_SEP)[0]


def decide(condition, values):
    """True, False or None (SQL's unknown) for a Q of plain lookups; NotPlain otherwise."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(decide(child, values))
            continue
        lookup, expected = child
        name, _, kind = lookup.partition(LOOKUP_SEP)
        kind = kind or "exact"
        if hasattr(expected, "resolve_expression") or name not in values:
            raise NotPlain
        value = values[name]
        if kind == "isnull" or (kind == "exact" and expected is None):
            results.append((value is None) == (expected if kind == "isnull" else True))
        elif kind not in COMPARISONS:
            raise NotPlain
        elif value is None:
            results.append(None)
        else:
            try:
                results.append(COMPARISONS[kind](value, expected))
            except TypeError:
                raise NotPlain from None
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    if condition.negated and result is not None:
        result = not result
    return result


class CheckConstraintsInPython:
    """A model mixin."""

    def check_constraints_pass(self, exclude, using):
        against = self._get_field_expression_map(meta=self._meta, exclude=exclude)
        plain = {name: value.value for name, value in against.items() if isinstance(value, Value)}
        for_the_database = []
        for _, constraints in self.get_constraints():
            for constraint in constraints:
                if not isinstance(constraint, CheckConstraint):
                    continue
                if not set(field_names(constraint.condition)) <= against.keys():
                    continue  # reads a field left out of the validation: Django skips it
                try:
                    if decide(constraint.condition, plain) is False:
                        return False
                except NotPlain:
                    for_the_database.append(constraint.condition)
        return not for_the_database or Q(*for_the_database).check(against, using=using)

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(type(self), instance=self)
        try:
            passed = self.check_constraints_pass(exclude, using)
        except NotPlain:
            passed = False
        if not passed:
            return super().validate_constraints(exclude)
        # As Django's own, less the check constraints, which all passed.
        errors = {}
        for model, constraints in self.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, CheckConstraint):
                    continue
                try:
                    constraint.validate(model, self, exclude=exclude, using=using)
                except ValidationError as error:
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
