from sessions.models.acknowledgements import CautionAcknowledgement
from sessions.models.adverse_events import AdverseEvent
from sessions.models.notes import (
    SECOND_FREQUENCY_ONLY_DENSE_DISPERSE,
    SessionPoint,
    TreatmentSession,
)
from sessions.models.points import (
    SEARCH_LIMIT,
    AcupuncturePoint,
    AcupuncturePointQuerySet,
    Side,
    code_prefix,
    default_side,
    fold,
    needles_for,
    resolve_code,
    side_error,
    typed_codes,
)
from sessions.models.protocols import Protocol, ProtocolPoint
from sessions.models.signing import (
    MISSING_DETAILS,
    UNREVIEWED_RED_FLAGS,
    Amendment,
    SessionConflict,
    SignedSessionError,
    SigningRefused,
    StaleDraft,
)

__all__ = [
    "MISSING_DETAILS",
    "SEARCH_LIMIT",
    "SECOND_FREQUENCY_ONLY_DENSE_DISPERSE",
    "UNREVIEWED_RED_FLAGS",
    "AcupuncturePoint",
    "AcupuncturePointQuerySet",
    "AdverseEvent",
    "Amendment",
    "CautionAcknowledgement",
    "SessionConflict",
    "Protocol",
    "ProtocolPoint",
    "SessionPoint",
    "SignedSessionError",
    "SigningRefused",
    "Side",
    "StaleDraft",
    "TreatmentSession",
    "code_prefix",
    "default_side",
    "fold",
    "needles_for",
    "resolve_code",
    "side_error",
    "typed_codes",
]
