"""Codes for interoperability (CLINICAL.md section 7): each measure's code beside the app's
own name, for the CSV exports (docs/exports.md).

The pain items are 0-10 numeric ratings, so they carry LOINC's pain NRS code, 72514-3; the
PEG's three items and its score carry the PEG panel's codes (Krebs 2009), and the average-
pain reading is the PEG's "P". The PROMIS pain-intensity codes (75260-0, 75261-8, 75262-6)
are not used: they name PROMIS's own items, asked in PROMIS's words with PROMIS's answers,
and the app asks its own 0-10 questions. PSFS, movement confidence and active minutes have
no LOINC code; they are named in the clinic's local code system.
"""

from dataclasses import dataclass

LOINC = "http://loinc.org"
LOCAL = "urn:clinic:measure"  # the clinic's own code system: its codes are the measures' names
PAIN_NRS = "72514-3"
PEG_PANEL = "91148-7"


@dataclass(frozen=True)
class Code:
    system: str
    code: str
    display: str
    panel: str = ""  # the LOINC panel the item belongs to, if any


PAIN_NRS_CODE = Code(LOINC, PAIN_NRS, "Pain severity 0-10 numeric rating")
MEASURE_CODES = {
    "pain_now": PAIN_NRS_CODE,
    "pain_average": Code(LOINC, "75893-8", "PEG: average pain, past week", PEG_PANEL),
    "pain_worst": PAIN_NRS_CODE,
    "enjoyment": Code(LOINC, "91145-3", "PEG: interference with enjoyment of life", PEG_PANEL),
    "activity": Code(LOINC, "91146-1", "PEG: interference with general activity", PEG_PANEL),
    "peg": Code(LOINC, "91147-9", "PEG: mean score", PEG_PANEL),
    "psfs": Code(LOCAL, "psfs", "Patient-Specific Functional Scale, mean"),
    "confidence": Code(LOCAL, "confidence", "Movement confidence (clinic measure)"),
    "active_minutes": Code(LOCAL, "active_minutes", "Active minutes, past week"),
    "session_pain_before": PAIN_NRS_CODE,
    "session_pain_after": PAIN_NRS_CODE,
}


def code_for(measure):
    """The code a reading of `measure` carries (a measure added later: its local name)."""
    return MEASURE_CODES.get(measure) or Code(LOCAL, measure, measure)
