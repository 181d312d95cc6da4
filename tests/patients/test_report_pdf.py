"""The progress report as a PDF (WeasyPrint), read back with pypdf: the patient's name and
date of birth and "Page n of m" on every page, two pages at most without the appendix for
a record as long as the demo's busiest (70 sessions), more with it; the download is
audited as an export, never cached, and named without the patient's name."""

import io
import os

import pytest
from django.templatetags.static import static
from django.urls import reverse
from pypdf import PdfReader

from patients.pdf import report_pdf

if report_pdf() is None:
    # Like the browser tests without Chromium: skipped on a laptop, a failure in CI.
    message = "WeasyPrint cannot load Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)

from weasyprint.urls import URLFetchingError  # noqa: E402

from audit.models import AuditEvent  # noqa: E402
from tests.html import page_text  # noqa: E402
from tests.progress_helpers import report_url, today  # noqa: E402
from tests.session_factories import course_history  # noqa: E402

NAME = "Ana Silva, born 17 May 1970"


def pdf_url(patient, query=""):
    return reverse("patients:report_pdf", kwargs={"patient_uuid": patient.uuid}) + query


def pages(response):
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


@pytest.fixture
def busiest(patient, practitioner):
    """Ana with as long a record as the demo's busiest patient: 70 sessions (14 with an
    adverse event) and 100 check-ins over 400 days, in all three phases."""
    course_history(patient, practitioner, checkins=100, sessions=70)
    return patient


def test_without_the_appendix_the_busiest_record_is_two_pages_each_with_the_name(
    practitioner_client, busiest
):
    texts = pages(practitioner_client.get(pdf_url(busiest, "?appendix=0")))
    assert len(texts) <= 2
    for number, text in enumerate(texts, start=1):
        assert NAME in text
        assert f"Page {number} of {len(texts)}" in text  # report.css's @page: it was loaded
    letter = "\n".join(texts)
    assert "There have been 70 treatment sessions." in " ".join(letter.split())
    assert "Appendix: the readings" not in letter


def test_with_the_appendix_the_tables_follow_on_more_pages_each_with_the_name(
    practitioner_client, busiest
):
    texts = pages(practitioner_client.get(pdf_url(busiest)))
    assert len(texts) > 2
    assert "Appendix: the readings" in texts[2]  # the appendix starts on a page of its own
    for number, text in enumerate(texts, start=1):
        assert NAME in text
        assert f"Page {number} of {len(texts)}" in text


def test_the_pdf_is_the_page_on_screen(practitioner_client, history):
    screen = page_text(practitioner_client.get(report_url(history) + "?appendix=0"))
    pdf = " ".join(
        " ".join(pages(practitioner_client.get(pdf_url(history, "?appendix=0")))).split()
    )
    for part in [
        "Progress report",
        NAME,
        "There have been 2 treatment sessions.",
        "Pain over time",
    ]:
        assert part in screen and part in pdf
    assert "Download PDF" in screen and "Download PDF" not in pdf


def test_the_download_is_audited_never_cached_and_named_without_the_patient(
    practitioner_client, history
):
    response = practitioner_client.get(pdf_url(history, "?appendix=0"))
    assert response.status_code == 200
    view, export = AuditEvent.objects.order_by("-id")[:2][::-1]
    assert (view.action, view.patient_uuid) == ("view", history.uuid)
    assert (export.action, export.patient_uuid, export.user.username) == (
        "export",
        history.uuid,
        "lin",
    )
    assert export.detail == "progress report PDF, without the tables"
    assert "no-store" in response["Cache-Control"]
    filename = f"progress-report-{str(history.uuid)[:8]}-{today():%Y-%m-%d}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "Silva" not in response["Content-Disposition"]


def test_weasyprint_reads_the_static_files_from_disk_and_nothing_else(db):
    fetcher = report_pdf().url_fetcher_class()
    css = fetcher.fetch(f"file://{static('patients/report.css')}")
    assert b"@page" in css.read()
    css.close()
    for url in [
        "file:///etc/passwd",
        f"file://{static('patients/')}../../../etc/passwd",
        f"file://{static('patients/')}%2e%2e/%2e%2e/etc/passwd",
        f"http://127.0.0.1{static('patients/report.css')}",
        "https://example.org/tracker.png",
    ]:
        with pytest.raises(URLFetchingError):
            fetcher.fetch(url)


def test_the_anonymous_visitor_is_sent_to_log_in(client, patient):
    response = client.get(pdf_url(patient))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_staff_without_a_role_are_refused_and_nothing_is_exported(outsider_client, patient):
    assert outsider_client.get(pdf_url(patient)).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_pdf_of_no_such_patient_is_not_found(practitioner_client, db):
    url = reverse(
        "patients:report_pdf", kwargs={"patient_uuid": "00000000-0000-0000-0000-000000000000"}
    )
    assert practitioner_client.get(url).status_code == 404


@pytest.mark.parametrize(("checkins", "sessions"), [(3, 2), (30, 20)])
def test_the_pdf_makes_the_same_queries_whatever_the_length_of_the_history(
    practitioner_client, practitioner, patient, django_assert_num_queries, checkins, sessions
):
    course_history(patient, practitioner, checkins, sessions)
    # The page's 7 (test_report.py) and 8 the export's audit event (insert).
    with django_assert_num_queries(8):
        response = practitioner_client.get(pdf_url(patient, "?appendix=0"))
    assert response.status_code == 200
