"""The progress report on screen: a letter with the clinic's letterhead, the patient's name
and date of birth, a narrative written from the data (the IMMPACT categories, CLINICAL.md
section 1), the pain and function charts drawn on the server, the practitioner's name and
qualification over a signature line, and the tables in an appendix that `?appendix=0` leaves
out. Who may read it, what is audited, and a query count that does not grow."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.progress import progress
from patients.report import narrative
from patients.report_charts import function_chart, pain_chart
from staff.models import PractitionerProfile
from tests.factories import CheckInFactory, StartedCourseFactory
from tests.html import html, page_text, table_rows
from tests.progress_helpers import day, days_ago, progress_url, report_url, today
from tests.session_factories import SessionOnDateFactory, course_history

PC = "\N{NO-BREAK SPACE}%"  # "50 %", never split over two lines


def sentences(patient):
    """The narrative's sentences, its paragraphs run together."""
    return [
        sentence for paragraph in narrative(patient, progress(patient)) for sentence in paragraph
    ]


def pain_sentence(patient):
    return next(s for s in sentences(patient) if s.startswith(("Average pain", "There is no base")))


def course_with_pain(patient, by, baseline, latest, on=28):
    StartedCourseFactory(
        patient=patient, accepted_by=by, on=days_ago(on), baseline__pain_average=baseline
    )
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=latest)


# The narrative, for known data


def test_the_narrative_of_four_weeks_of_care_in_three_paragraphs(patient, history):
    paragraphs = narrative(history, progress(history))
    assert [len(paragraph) for paragraph in paragraphs] == [2, 3, 1]
    assert sentences(history) == [
        f"Ana Silva started care on {day(days_ago(28))}, 4 weeks ago, and is now in phase 2 of "
        f"3, build confidence in movement (since {day(days_ago(13))}).",
        "There have been 2 treatment sessions.",
        f"Average pain over the past week was 8 out of 10 at the intake and 4 on "
        f"{day(days_ago(7))}: 4 points (50{PC}) better, which the IMMPACT categories count as a "
        f"substantial improvement.",
        f"The PEG score (pain, and its interference with enjoyment of life and general "
        f"activity; lower is better) was 7.0 at the intake and 4.7 on {day(days_ago(7))}: 2.3 "
        f"points (33{PC}) better, which the IMMPACT categories count as a moderate improvement.",
        f"The PSFS mean (activities the patient chose, each rated from 0, unable, to 10, as "
        f"before the problem; higher is better) was 3.0 at the intake and 6.0 on "
        f"{day(days_ago(7))}: up 3.0 points, beyond the change of about 2 points that "
        f"measurement noise can explain.",
        "1 adverse event was recorded; the treatment notes give the details.",
    ]


def test_pain_down_by_at_least_30_per_cent_is_a_moderate_improvement(patient, practitioner):
    course_with_pain(patient, practitioner, baseline=10, latest=6)
    assert pain_sentence(patient).endswith(
        f": 4 points (40{PC}) better, which the IMMPACT categories count as a moderate improvement."
    )


def test_pain_down_by_at_least_50_per_cent_is_a_substantial_improvement(patient, practitioner):
    course_with_pain(patient, practitioner, baseline=8, latest=4)
    assert pain_sentence(patient).endswith(
        f": 4 points (50{PC}) better, which the IMMPACT categories count as a substantial "
        "improvement."
    )


def test_pain_down_by_less_than_10_per_cent_is_no_change(patient, practitioner):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, baseline__pain_average=8)
    CheckInFactory(patient=patient, pain_average=8)
    assert pain_sentence(patient).endswith(
        ": the same, which the IMMPACT categories count as no change."
    )


def test_pain_above_its_baseline_is_worse(patient, practitioner):
    course_with_pain(patient, practitioner, baseline=4, latest=6)
    assert pain_sentence(patient) == (
        f"Average pain over the past week was 4 out of 10 at the intake and 6 on "
        f"{day(days_ago(7))}: 2 points (50{PC}) worse, which the IMMPACT categories count as worse."
    )


def test_from_a_baseline_of_0_a_rise_is_worse_without_a_per_cent(patient, practitioner):
    course_with_pain(patient, practitioner, baseline=0, latest=1)
    assert pain_sentence(patient).endswith(
        ": 1 point worse, which the IMMPACT categories count as worse."
    )


def test_without_a_baseline_no_change_is_given(patient, practitioner):
    SessionOnDateFactory(patient=patient, practitioner=practitioner, on=days_ago(1))
    assert sentences(patient) == [
        "Ana Silva's course of care has not started: it starts when the intake is accepted.",
        "There has been 1 treatment session.",
        "There is no baseline for average pain (it comes from the accepted intake), so no "
        "change can be given.",
        "No adverse events were recorded.",
    ]


def test_with_only_the_intake_there_is_no_later_reading(patient, practitioner):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(3))
    said = sentences(patient)
    assert said[0] == (
        f"Ana Silva started care on {day(days_ago(3))}, 3 days ago, and is now in phase 1 of 3, "
        f"calm things down."
    )
    assert said[2] == (
        "Average pain over the past week was 8 out of 10 at the intake; there is no later "
        "reading yet."
    )
    assert not any(s.startswith(("The PEG", "The PSFS")) for s in said)


def test_care_that_started_today_says_so(patient, practitioner):
    StartedCourseFactory(patient=patient, accepted_by=practitioner)
    assert sentences(patient)[0] == (
        f"Ana Silva started care on {day(today())}, today, and is now in phase 1 of 3, calm "
        f"things down."
    )


def test_a_psfs_rise_under_2_is_within_measurement_noise(patient, practitioner):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, baseline__psfs="3.00")
    CheckInFactory(patient=patient, psfs="4.50")
    psfs = next(s for s in sentences(patient) if s.startswith("The PSFS"))
    assert psfs.endswith(": up 1.5 points, within the change of about 2 points that "
                         "measurement noise can explain.")  # fmt: skip


# The charts


def test_the_pain_chart_has_the_phases_as_bands_and_dates_as_day_and_month(history):
    chart = pain_chart(progress(history)["chart"])
    assert chart.startswith('<svg class="report-chart"')
    assert chart.count("<rect") == 2 + 2  # two phase bands, and their two legend swatches
    assert "2. Build confidence in movement" in chart
    assert len(re.findall(r">\d{1,2} [A-Z][a-z]{2}</text>", chart)) == 6  # "25 Nov" ticks
    assert not re.search(r"\d{4}-\d{2}-\d{2}", chart)
    legend = ["Average pain, past week", "Session: pain before", "Session: pain after"]
    legend += ["Baseline (intake)", "Average 30 % below baseline", "Average 50 % below baseline"]
    legend += ["Phase 1: calm things down", "Phase 2: build confidence in movement"]
    for label in legend:
        assert label in chart
    # The intake and the three check-ins joined by one line.
    assert chart.count("<polyline") == 1
    assert len(re.search(r'<polyline points="([^"]+)"', chart).group(1).split()) == 4
    assert 'fill="#0d6efd"' in chart


def test_a_chart_with_nothing_to_draw_is_left_out(patient, practitioner):
    SessionOnDateFactory(patient=patient, practitioner=practitioner, on=days_ago(1))
    chart = progress(patient)["chart"]
    assert function_chart(chart) == ""
    assert pain_chart(chart).startswith("<svg")


# The page


def test_the_report_is_a_letter_from_the_clinic(practitioner_client, history, settings):
    settings.CLINIC_NAME = "Orchard Acupuncture"
    settings.CLINIC_ADDRESS = "12 Orchard Lane, Bristol BS1 4AB"
    settings.CLINIC_PHONE = "0117 496 0123"
    settings.CLINIC_EMAIL = "hello@orchard.example"
    PractitionerProfile.objects.filter(user__username="lin").update(
        display_name="Lin Zhao", qualification="BSc Acupuncture, MBAcC"
    )
    response = practitioner_client.get(report_url(history))
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Orchard Acupuncture 12 Orchard Lane, Bristol BS1 4AB Telephone 0117 496 0123 "
        "hello@orchard.example Progress report"
    ) in text
    assert "Patient Ana Silva, born 17 May 1970" in text
    assert "Practitioner Lin Zhao, BSc Acupuncture, MBAcC" in text
    assert f"Date {day(today())}" in text
    for paragraph in narrative(history, progress(history)):
        assert f'<p class="narrative">{" ".join(paragraph)}</p>' in html(response)
    assert "Lin Zhao BSc Acupuncture, MBAcC Orchard Acupuncture" in text  # under the line
    assert 'class="signature-line"' in html(response)
    assert html(response).count('<svg class="report-chart"') == 2


def test_the_report_leaves_out_blank_contact_details(practitioner_client, history, settings):
    settings.CLINIC_ADDRESS = settings.CLINIC_PHONE = settings.CLINIC_EMAIL = ""
    text = page_text(practitioner_client.get(report_url(history)))
    assert "Telephone" not in text


def test_the_report_has_a_print_button_a_back_link_and_a_pdf_link(practitioner_client, history):
    page = html(practitioner_client.get(report_url(history)))
    assert '<button type="button" class="btn btn-primary" id="print-report">Print</button>' in page
    assert f'href="{progress_url(history)}">Back to progress</a>' in page
    pdf = reverse("patients:report_pdf", kwargs={"patient_uuid": history.uuid})
    assert f'href="{pdf}">Download PDF</a>' in page
    assert "/static/patients/report.js" in page
    # The browser's print repeats this on every page (the PDF has margin boxes instead).
    assert '<p class="running-head" aria-hidden="true"><span>' in page
    assert "<script>" not in page and " style=" not in page  # the CSP allows neither


def test_the_tables_are_in_the_appendix_unless_left_out(practitioner_client, history):
    page = html(practitioner_client.get(report_url(history)))
    assert 'id="appendix-heading"' in page and 'id="readings-table"' in page
    assert 'id="include-tables" checked' in page

    page = html(practitioner_client.get(report_url(history) + "?appendix=0"))
    assert 'id="appendix-heading"' not in page and 'id="readings-table"' not in page
    assert 'id="include-tables">' in page  # unticked
    pdf = reverse("patients:report_pdf", kwargs={"patient_uuid": history.uuid})
    assert f'href="{pdf}?appendix=0"' in page


def test_the_checkbox_sends_a_0_then_a_1_and_the_last_counts(practitioner_client, history):
    page = html(practitioner_client.get(report_url(history) + "?appendix=0&appendix=1"))
    assert 'id="readings-table"' in page


def test_a_value_other_than_0_keeps_the_tables(practitioner_client, history):
    response = practitioner_client.get(report_url(history) + "?appendix=%3Cb%3E")
    assert response.status_code == 200
    assert 'id="readings-table"' in html(response)


def test_the_appendix_lists_every_reading_a_row_a_day_and_source(practitioner_client, history):
    response = practitioner_client.get(report_url(history))
    assert table_rows(response, "readings-table") == [
        # date, from, average pain, before, after, PEG, PSFS, confidence, active minutes
        [day(days_ago(28)), "Intake", "8", "", "", "7.0", "3.0", "3", "60"],
        [day(days_ago(27)), "Session", "", "7", "4", "", "", "", ""],
        [day(days_ago(21)), "Check-in", "6", "", "", "6.3", "4.0", "4", "90"],
        [day(days_ago(14)), "Check-in", "5", "", "", "5.7", "5.3", "6", "120"],
        [day(days_ago(13)), "Session", "", "5", "2", "", "", "", ""],
        [day(days_ago(7)), "Check-in", "4", "", "", "4.7", "6.0", "7", "150"],
    ]
    assert table_rows(response, "phase-table") == [
        [day(days_ago(28)), "1. Calm things down", "Intake accepted"],
        [day(days_ago(13)), "2. Build confidence in movement", "Pain down by a third"],
    ]


def test_a_patient_without_a_date_of_birth_is_named_without_one(practitioner_client, invited):
    text = page_text(practitioner_client.get(report_url(invited)))
    assert f"Patient {invited.full_name} Practitioner" in text
    assert "born" not in text


def test_a_patient_without_readings_gets_a_report(practitioner_client, patient):
    response = practitioner_client.get(report_url(patient))
    assert response.status_code == 200
    assert "No readings yet: they come from the intake, check-ins and sessions." in page_text(
        response
    )


# Who may read it


def test_the_anonymous_visitor_is_sent_to_log_in(client, patient):
    response = client.get(report_url(patient))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_staff_without_a_role_are_refused(outsider_client, patient):
    assert outsider_client.get(report_url(patient)).status_code == 403


def test_a_report_of_no_such_patient_is_not_found(practitioner_client, db):
    url = reverse(
        "patients:report", kwargs={"patient_uuid": "00000000-0000-0000-0000-000000000000"}
    )
    assert practitioner_client.get(url).status_code == 404


def test_a_clinic_admin_may_read_the_report(admin_client_, history):
    response = admin_client_.get(report_url(history))
    assert response.status_code == 200
    assert "1 adverse event was recorded" in page_text(response)


def test_reading_the_report_is_audited_and_never_cached(practitioner_client, history):
    response = practitioner_client.get(report_url(history))
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.patient_uuid, event.user.username) == ("view", history.uuid, "lin")
    assert "no-store" in response["Cache-Control"]


# Queries


@pytest.mark.parametrize(("checkins", "sessions"), [(3, 2), (50, 70)])
def test_the_report_makes_the_same_queries_whatever_the_length_of_the_history(
    practitioner_client, practitioner, patient, django_assert_num_queries, checkins, sessions
):
    course_history(patient, practitioner, checkins, sessions)
    # 1 the session, 2 the user, 3 permissions, 4 the patient with practitioner, profile
    # and summary (sessions, needles, adverse events), 5 the audit event (insert), 6 the
    # phase changes with who made them, 7 the readings.
    with django_assert_num_queries(7):
        response = practitioner_client.get(report_url(patient))
    assert response.status_code == 200
    assert f"There have been {sessions} treatment sessions." in page_text(response)
    assert html(response).count("<tr><td>") >= checkins + sessions


# A server without Pango (WeasyPrint's text library): everything else runs


def test_without_pango_the_report_offers_print_instead_of_a_download(
    practitioner_client, patient, monkeypatch
):
    monkeypatch.setattr("patients.views.report.report_pdf", lambda: None)
    text = page_text(practitioner_client.get(report_url(patient)))
    assert "Download PDF" not in text
    assert "PDF downloads are off on this server" in text


def test_without_pango_the_pdf_address_says_why_with_503(practitioner_client, patient, monkeypatch):
    monkeypatch.setattr("patients.views.report.report_pdf", lambda: None)
    url = reverse("patients:report_pdf", kwargs={"patient_uuid": patient.uuid})
    response = practitioner_client.get(url)
    assert response.status_code == 503
    assert "needs the Pango libraries" in page_text(response)
    assert not AuditEvent.objects.filter(action="export").exists()
