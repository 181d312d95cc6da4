from sessions.models.notes import (
    AdverseEvent,
    Amendment,
    Protocol,
    ProtocolPoint,
    SessionPoint,
    Side,
    TreatmentSession,
)
from sessions.models.points import (
    SEARCH_LIMIT,
    AcupuncturePoint,
    AcupuncturePointQuerySet,
    code_prefix,
    fold,
)

__all__ = [
    "SEARCH_LIMIT",
    "AcupuncturePoint",
    "AcupuncturePointQuerySet",
    "AdverseEvent",
    "Amendment",
    "Protocol",
    "ProtocolPoint",
    "SessionPoint",
    "Side",
    "TreatmentSession",
    "code_prefix",
    "fold",
]
