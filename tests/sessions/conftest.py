"""Ana's notes for the sessions app's tests: a draft by Lin with three points, a signed note
with one, and a draft whose subjective reads "As typed" (to see that a refused write left
it). A module that needs other notes defines its own `draft` or `signed`."""

import pytest

from tests.session_factories import TreatmentSessionFactory


@pytest.fixture
def draft(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient,
        practitioner=practitioner,
        pain_before=7,
        pain_after=4,
        pattern_diagnosis="Liver qi stagnation",
        points=[("ST36", "B"), ("LI4", "L"), "GV20"],
    )


@pytest.fixture
def signed(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, signed=True, pain_before=7, points=["ST36"]
    )


@pytest.fixture
def typed_draft(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, subjective="As typed"
    )
