"""The progress report: a letter of one or two pages for the patient or a referring doctor,
with its tables in an appendix that can be left out (`?appendix=0`). The page on screen and
the PDF (WeasyPrint, through django-weasyprint: patients.pdf) are one template; the PDF leaves
out the page's buttons."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit import trail
from audit.models import AuditEvent
from patients.access import get_patient_for_user
from patients.models import OutcomeReading
from patients.pdf import report_pdf
from patients.progress import progress, readings_by_day
from patients.report import narrative
from patients.report_charts import function_chart, pain_chart


def patient_report(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid)
    return _render(request, patient, pdf=False)


def patient_report_pdf(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid)
    if report_pdf() is None:
        return render(request, "patients/report_no_pdf.html", {"patient": patient}, status=503)
    appendix = wants_appendix(request)
    detail = "progress report PDF, " + ("with the tables" if appendix else "without the tables")
    trail.record(AuditEvent.Action.EXPORT, patient, detail=detail)
    return _render(request, patient, pdf=True)


def wants_appendix(request):
    """The tables are in, unless `?appendix=0`. The page's checkbox sends a hidden 0 before
    its own 1, so the last value is the one that counts."""
    return request.GET.get("appendix", "1") != "0"


def _render(request, patient, pdf):
    context = report_context(patient, appendix=wants_appendix(request))
    if not pdf:
        return render(request, "patients/report.html", context)
    context["pdf"] = True
    # The file name leaves the patient's name out: downloads folders and mail attachments
    # are not the place for it. The day and the start of the record's UUID tell files apart.
    filename = f"progress-report-{str(patient.uuid)[:8]}-{context['printed_on']:%Y-%m-%d}.pdf"
    return report_pdf()(request, "patients/report.html", context, filename=filename)


def report_context(patient, appendix):
    data = progress(patient)
    rows = readings_by_day(data["readings"])
    query = "" if appendix else "?appendix=0"
    born = patient.date_of_birth
    return {
        "patient": patient,
        # On the page, and at the top of every printed page.
        "patient_line": f"{patient.full_name}, born {date_format(born)}"
        if born
        else patient.full_name,
        **data,
        "narrative": narrative(patient, data),
        "pain_chart": pain_chart(data["chart"]),
        "function_chart": function_chart(data["chart"]),
        "reading_rows": [
            row | {"source_label": OutcomeReading.Source(row["source"]).label} for row in rows
        ],
        "appendix": appendix,
        "pdf_url": reverse("patients:report_pdf", kwargs={"patient_uuid": patient.uuid}) + query
        if report_pdf()
        else "",
        "printed_on": timezone.localdate(),
        "letterhead": {
            "name": settings.CLINIC_NAME,
            "address": settings.CLINIC_ADDRESS,
            "phone": settings.CLINIC_PHONE,
            "email": settings.CLINIC_EMAIL,
        },
        "signer": signer(patient),
    }


def signer(patient):
    """Who signs: the patient's own practitioner, by the name and qualification on their
    profile (selected with the patient: no query), or nobody named if unassigned."""
    user = patient.practitioner
    if user is None:
        return {"name": "", "qualification": ""}
    profile = getattr(user, "practitioner_profile", None)
    return {
        "name": profile.display_name if profile else user.get_full_name() or user.get_username(),
        "qualification": profile.qualification if profile else "",
    }
