"""Codes a treatment note carries in the exports (CLINICAL.md section 7, docs/exports.md).

The procedure code is marked unverified, as CLINICAL.md marks it: it has not been checked
against an official SNOMED CT browser.
"""

SNOMED = "http://snomed.info/sct"
ACUPUNCTURE = "44868003"
ACUPUNCTURE_VERIFIED = False
# Laterality (CLINICAL.md 7); a midline point has none.
LATERALITY = {"L": "7771000", "R": "24028007", "B": "51440002", "M": ""}
