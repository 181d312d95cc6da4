import calendar
import csv
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from audit import trail
from audit.models import AuditEvent
from dashboard.forms import PeriodFilter, PhaseWeekFilter
from patients.models import Intake, Patient, PatientSummary, Phase, PhaseChange, PhaseSuggestion
from patients.models.records import quiet_since
from patients.models.summary import scoped
from sessions.models import AdverseEvent, TreatmentSession

# Baeumler et al., BMJ Open 2021;11:e045961 (CLINICAL.md section 4): any adverse event in
# 7.57 % of treatments (95 % CI 1.43 to 17.95 %), serious ones 7.98 per million treatments.
LITERATURE_AE = {
    "per_100": Decimal("7.57"),
    "low": Decimal("1.43"),
    "high": Decimal("17.95"),
    "serious_per_million": Decimal("7.98"),
}

# The two charts of "Time to each phase": the x axis of each. A phase's sessions are those
# before the day it was reached (PatientSummary.sessions_before_phase_N).
AXES = {"weeks": "weeks since intake", "sessions": "sessions before reaching the phase"}
CAPTIONS = {"weeks": "weeks since intake", "sessions": "sessions before the phase"}


def _charts(curves):
    """The "Time to each phase" charts, for the template: each axis with its table's rows,
    and the points the script draws ([time, per cent] for each phase, by axis)."""
    charts = [
        {"axis": axis, "label": label, "caption": CAPTIONS[axis], "rows": _table_rows(curves[axis])}
        for axis, label in AXES.items()
    ]
    points = {
        axis: {n: [[r["time"], r["percent"]] for r in curves[axis][n]["rows"]] for n in (2, 3)}
        for axis in AXES
    }
    return charts, points


def _table_rows(curves):
    """A chart's table rows, the CSV's rows (phase, time, at risk, reached, censored,
    share), built in one pass: a few hundred rows through the template's variables take it
    about 20 ms."""
    rows = (
        (phase, row["time"], row["at_risk"], row["reached"], row["censored"], row["percent"])
        for phase in (2, 3)
        for row in curves[phase]["rows"]
    )
    return format_html_join("\n", "<tr>" + "<td>{}</td>" * 5 + "<td>{} %</td></tr>", rows)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _day_month(day, year=False):
    """A date in the clinic's format, "3 Nov" (or "3 Nov 2026"), as the template's
    `date:"j M"` writes it; the chart's hundreds of dates through Django's date formatting
    cost several ms a view."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def _flow(flow, filters):
    """The "Phase flow over time" chart, for the template: its table's rows (each count a
    link to the patients behind it), and the series the script draws, with the dates in
    the clinic's format ("3 Nov") and the drill-down's address. The rows are built as
    plain text in one pass: every value is a number or a date, nothing to escape, and
    format_html over 156 weeks costs about 5 ms."""
    weeks = flow["weeks"]
    drill = reverse("phase_week")
    # The page's filters ride along, so that the list's "Back" returns to the same view.
    query = _query(filters["mine"], filters["months"], filters["region"])
    scope = f"&amp;{query.replace('&', '&amp;')}" if query else ""
    rows = []
    for row in weeks:
        week = row["week"].isoformat()
        cells = "".join(
            f'<td><a href="{drill}?phase={phase}&amp;week={week}{scope}">{n}</a></td>'
            for phase, n in enumerate(row["phases"], start=1)
        )
        rows.append(
            f'<tr><th scope="row">{_day_month(row["week"], year=True)}</th>{cells}'
            f"<td>{int(row['new'])}</td><td>{int(row['discharged'])}</td></tr>"
        )
    # Over more than a year, "3 Nov" alone would be ambiguous.
    long = len(weeks) > 53
    today = timezone.localdate()
    this_week = today - timedelta(days=today.weekday())
    series = {
        "weeks": [row["week"].isoformat() for row in weeks],
        "labels": [_day_month(row["week"], year=long) for row in weeks],
        "titles": [
            _day_month(row["week"], year=True) + (" (so far)" if row["week"] == this_week else "")
            for row in weeks
        ],
        "phases": {phase.value: [row["phases"][phase - 1] for row in weeks] for phase in Phase},
        "new": [row["new"] for row in weeks],
        "discharged": [row["discharged"] for row in weeks],
        "drill": drill,
        "filters": query,
    }
    drawn = any(sum(row["phases"]) or row["new"] or row["discharged"] for row in weeks)
    return {"rows": mark_safe("\n".join(rows)), "series": series, "drawn": drawn, **flow}


def months_before(day, months):
    """The same day `months` calendar months earlier (that month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def _filters(request):
    """Whose patients (?mine=1, as before), the period (?months=3|6|12) and the body
    region (?region=, a key of patients.bodymap.PARTS); None if the period or the region is
    not one of those (the caller answers 400 rather than guess)."""
    form = PeriodFilter(request.GET)
    if not form.is_valid():
        return None
    mine = request.GET.get("mine") == "1" and hasattr(request.user, "practitioner_profile")
    months = form.cleaned_data["months"]
    today = timezone.localdate()
    return {
        "mine": mine,
        "months": months,
        "region": form.cleaned_data["region"] or None,
        "practitioner": request.user if mine else None,
        "since": months_before(today, months) if months else None,
        "today": today,
    }


def _query(mine, months, region=None):
    """The dashboard's URL query for these filters ("" for the clinic, all time, every
    region)."""
    pairs = [("mine", 1 if mine else None), ("months", months), ("region", region)]
    return urlencode([(k, v) for k, v in pairs if v])


def _bad_filter(request):
    form = PeriodFilter(request.GET)
    form.is_valid()
    context = {
        "periods": PeriodFilter.PERIODS,
        "regions": PeriodFilter.REGIONS,
        "errors": form.errors,
        "months": request.GET.get("months", ""),
        "region": request.GET.get("region", ""),
    }
    return render(request, "dashboard/bad_filter.html", context, status=400)


@permission_required("patients.view_patient", raise_exception=True)
def home(request):
    filters = _filters(request)
    if filters is None:
        return _bad_filter(request)
    mine, months, region = filters["mine"], filters["months"], filters["region"]
    practitioner, since = filters["practitioner"], filters["since"]
    summaries = PatientSummary.objects
    time_to_phase = summaries.time_to_phase(practitioner, since, region)
    charts, points = _charts(time_to_phase)
    flow = summaries.phase_flow(practitioner, since, filters["today"], region)
    context = {
        "flow": _flow(flow, filters),
        "outcomes": _outcomes(summaries.outcome_curves(practitioner, since, region)),
        "mine": mine,
        "months": months,
        "since": since,
        "region": region,
        "region_label": dict(PeriodFilter.REGIONS).get(region),
        "regions": PeriodFilter.REGIONS,
        "periods": [
            (label, _query(mine, value, region), str(months or "") == value)
            for value, label in PeriodFilter.PERIODS
        ],
        "query": _query(mine, months, region),
        "clinic_query": _query(False, months, region),
        "mine_query": _query(True, months, region),
        "scope": f"&practitioner={request.user.pk}" if mine else "",
        **summaries.for_dashboard(practitioner=practitioner),
        "ae_literature": LITERATURE_AE,
        "time_to_phase": time_to_phase,
        "charts": charts,
        "chart_points": points,
        "medians": [
            (Phase(n), time_to_phase["weeks"][n]["median"], time_to_phase["sessions"][n]["median"])
            for n in (2, 3)
        ],
    }
    return render(request, "dashboard/home.html", context)


# The charts of "Outcomes by week of care": the measure's field on OutcomeWeek, its
# title, its axis, and what a row's value is (per cent or points).
OUTCOME_CHARTS = [
    ("pain_reduction", "Average pain: reduction since intake", "Less pain than at intake (%)"),
    ("psfs_change", "PSFS mean: change since intake", "PSFS points above intake"),
    ("active_150", "Active at least 150 minutes a week", "Share of patients (%)"),
]
GROUPS = [(0, "All patients")] + [(phase.value, f"Phase {phase.value}") for phase in Phase]


def _outcomes(curves):
    """The outcome charts, for the template: each with its table's rows (week, group,
    patients, and median with quartiles or share, built in one pass as _table_rows is) and
    the points the script draws."""
    charts = []
    for field, title, axis in OUTCOME_CHARTS:
        groups = curves[field]
        unit = "" if field == "psfs_change" else " %"
        rows = (
            (row["week"], name, row["patients"])
            + (
                (f"{_plain(row['share'])} %",)
                if field == "active_150"
                else (
                    f"{_plain(row['median'])}{unit}",
                    f"{_plain(row['q1'])} to {_plain(row['q3'])}{unit}",
                )
            )
            for phase, name in GROUPS
            for row in groups[phase]["rows"]
        )
        cells = 4 if field == "active_150" else 5
        charts.append(
            {
                "field": field,
                "title": title,
                "axis": axis,
                "rows": format_html_join("\n", "<tr>" + "<td>{}</td>" * cells + "</tr>", rows),
                "drawn": bool(groups[0]["rows"]),
                "thin": _week_ranges(groups[0]["thin"]),
            }
        )
    # Decimals would reach the script as strings.
    points = {
        field: {
            phase: [{k: float(v) for k, v in row.items()} for row in curves[field][phase]["rows"]]
            for phase, _ in GROUPS
        }
        for field, _, _ in OUTCOME_CHARTS
    }
    return {"charts": charts, "points": points, "drawn": any(c["drawn"] for c in charts)}


def _plain(number):
    """17.0 as "17", 19.2 as "19.2"."""
    return None if number is None else f"{number.normalize():f}"


def _week_ranges(weeks):
    """Weeks as short ranges: [0, 1, 2, 5] -> "0-2, 5"."""
    ranges = []
    for week in weeks:
        if ranges and ranges[-1][1] == week - 1:
            ranges[-1][1] = week
        else:
            ranges.append([week, week])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


@permission_required("patients.view_patient", raise_exception=True)
def outcome_curves_csv(request):
    """The numbers the "Outcomes by week of care" charts draw, with the page's filters:
    counts, medians and shares only, no patient's data (so not audited as an export of
    patient data)."""
    filters = _filters(request)
    if filters is None:
        return _bad_filter(request)
    curves = PatientSummary.objects.outcome_curves(
        filters["practitioner"], filters["since"], filters["region"]
    )
    header = ["measure", "group", "week", "patients", "median", "q1", "q3", "share_percent"]
    rows = (
        [field, name, row["week"], row["patients"], row.get("median", ""), row.get("q1", ""),
         row.get("q3", ""), row.get("share", "")]
        for field, _, _ in OUTCOME_CHARTS
        for phase, name in GROUPS
        for row in curves[field][phase]["rows"]
    )  # fmt: skip
    return _csv_download(filters, "outcomes-by-week", header, rows)


@permission_required("patients.view_patient", raise_exception=True)
def time_to_phase_csv(request):
    """The numbers the "Time to each phase" charts draw, with the page's filters: counts
    and shares only, no patient's data (so not audited as an export of patient data)."""
    filters = _filters(request)
    if filters is None:
        return _bad_filter(request)
    curves = PatientSummary.objects.time_to_phase(
        filters["practitioner"], filters["since"], filters["region"]
    )
    header = ["axis", "phase", "time", "at_risk", "reached", "censored", "percent_reached"]
    rows = (
        [AXES[axis], phase, row["time"], row["at_risk"], row["reached"], row["censored"],
         row["percent"]]
        for axis in AXES
        for phase, curve in curves[axis].items()
        for row in curve["rows"]
    )  # fmt: skip
    return _csv_download(filters, "time-to-phase", header, rows)


@permission_required("patients.view_patient", raise_exception=True)
def phase_flow_csv(request):
    """The numbers the "Phase flow over time" chart draws, with the page's filters: counts
    only, no patient's data (so not audited as an export of patient data)."""
    filters = _filters(request)
    if filters is None:
        return _bad_filter(request)
    flow = PatientSummary.objects.phase_flow(
        filters["practitioner"], filters["since"], filters["today"], filters["region"]
    )
    header = ["week_starting", "phase_1", "phase_2", "phase_3", "new_patients", "discharges"]
    rows = (
        [row["week"].isoformat(), *row["phases"], row["new"], row["discharged"]]
        for row in flow["weeks"]
    )
    return _csv_download(filters, "phase-flow", header, rows)


def _csv_download(filters, stem, header, rows):
    """A chart's numbers as a CSV named for the chart, its filters and today."""
    scope = "my-patients" if filters["mine"] else "clinic"
    period = f"{filters['months']}-months" if filters["months"] else "all-time"
    region = f"-{filters['region'].replace('_', '-')}" if filters["region"] else ""
    name = f"{stem}-{scope}{region}-{period}-{filters['today'].isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


PAGE_SIZE = 25


@permission_required("patients.view_patient", raise_exception=True)
def phase_week(request):
    """The phase flow's drill-down: the patients in one phase at the end of one week (the
    patients a bar of the chart counts), for the clinic or with ?mine=1 one's own."""
    form = PhaseWeekFilter(request.GET)
    filters = _filters(request)
    if not form.is_valid() or filters is None:
        return render(request, "dashboard/bad_phase_week.html", {"form": form}, status=400)
    phase, week = form.cleaned_data["phase"], form.cleaned_data["week"]
    spells = PhaseChange.objects.in_phase_at_end_of_week(phase, week)
    patients = Patient.objects.for_list().filter(pk__in=spells.values("patient_id"))
    patients = scoped(patients, filters["practitioner"], filters["region"], via="summary__")
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    trail.record_shown(
        AuditEvent.Action.LIST,
        page.object_list,
        detail=(
            f"patients in phase {phase} in the week of {week.isoformat()}: "
            f"{len(page.object_list)} on page {page.number}"
        ),
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "phase": Phase(phase),
        "week": week,
        "sunday": week + timedelta(days=6),
        "mine": filters["mine"],
        "query": query.urlencode(),
        "back": _query(filters["mine"], filters["months"], filters["region"]),
    }
    return render(request, "dashboard/phase_week.html", context)


# Each list of the worklist shows this many, and says when there are more.
WORKLIST_ROWS = 10


def _first(queryset):
    """The first WORKLIST_ROWS rows, and whether there are more (one query)."""
    rows = list(queryset[: WORKLIST_ROWS + 1])
    return {"rows": rows[:WORKLIST_ROWS], "more": len(rows) > WORKLIST_ROWS}


@permission_required("patients.view_patient", raise_exception=True)
def worklist(request):
    """What waits for the practitioner, each item one click from its page: their unsigned
    drafts, intakes to review (urgent first), phase suggestions, their active patients with
    no reading in 14 days, and the adverse events of the last 7 days. For a user who is not
    a practitioner (a clinic admin), the clinic's. A fixed number of queries: one a list."""
    me = request.user if hasattr(request.user, "practitioner_profile") else None
    today = timezone.localdate()
    drafts = TreatmentSession.objects.filter(status=TreatmentSession.Status.DRAFT)
    intakes = Intake.objects.review_queue()
    suggestions = PhaseSuggestion.objects.filter(status=PhaseSuggestion.Status.OPEN)
    quiet = Patient.objects.filter(status=Patient.Status.ACTIVE).filter(quiet_since(today))
    events = AdverseEvent.objects.filter(session__started_at__date__gte=today - timedelta(days=7))
    if me is not None:
        drafts = drafts.filter(practitioner=me)
        intakes = intakes.filter(Q(patient__practitioner=me) | Q(patient__practitioner=None))
        suggestions = suggestions.filter(patient__practitioner=me)
        quiet = quiet.filter(summary__practitioner=me)
        events = events.filter(session__patient__practitioner=me)
    lists = {
        "drafts": _first(drafts.select_related("patient").order_by("started_at", "id")),
        "intakes": _first(intakes),
        "suggestions": _first(suggestions.select_related("patient").order_by("created_at")),
        "quiet": _first(
            quiet.select_related("summary").order_by(
                F("summary__last_reading_on").asc(nulls_first=True), "family_name"
            )
        ),
        "events": _first(
            events.select_related("session__patient").order_by("-session__started_at", "-id")
        ),
    }
    shown = {}
    for name in ("drafts", "intakes", "suggestions", "events"):
        for row in lists[name]["rows"]:
            patient = row.session.patient if name == "events" else row.patient
            shown[patient.pk] = patient
    for patient in lists["quiet"]["rows"]:
        shown[patient.pk] = patient
    trail.record_shown(AuditEvent.Action.LIST, shown.values(), detail="worklist", request=request)
    context = {"mine": me is not None, "today": today, **lists}
    return render(request, "dashboard/worklist.html", context)
