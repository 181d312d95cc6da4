"""The progress report's charts as SVG drawn on the server, so that the page on screen, the
browser's print and the PDF (WeasyPrint runs no JavaScript) show the same picture.

Each chart reads the series the progress page charts (`progress(patient)["chart"]`): the
phases as bands behind the data, a 0-10 scale, dates as "25 Nov" (the year under the first
date and wherever it changes), and a legend under it. Colours are presentation attributes,
not style attributes: the CSP allows no inline styles.

    figure = pain_chart(progress(ana)["chart"])  # SafeString: <svg>...</svg><ul>...</ul>
"""

import datetime
from dataclasses import dataclass

from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 720, 250
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 22, 40
Y_MAX = 10
TICKS = 6
CHAR_WIDTH = 6.2  # an 11 px sans-serif character, near enough to fit a band's label

# The progress page's band colours (static/clinic/clinic.css .phase-swatch-n): a pale fill
# and a line of the full colour along the top.
BAND_COLOUR = {1: "#d63384", 2: "#ffc107", 3: "#198754"}
BAND_OPACITY = {1: "0.1", 2: "0.16", 3: "0.12"}
GRID, INK, MUTED = "#dee2e6", "#212529", "#495057"


@dataclass(frozen=True)
class Line:
    """One series: how it is drawn (`line` joins its points) and named in the legend."""

    label: str
    colour: str
    points: list  # [(date, value)]
    marker: str = "circle"  # circle, diamond, triangle
    line: bool = True


@dataclass(frozen=True)
class Reference:
    """A horizontal dashed line, such as the baseline."""

    label: str
    colour: str
    value: float


def pain_chart(chart):
    s = chart["series"]
    lines = [
        Line("Average pain, past week", "#0d6efd", _points(s["pain_average"])),
        Line("Session: pain before", "#c82333", _points(s["session_pain_before"]), line=False),
        Line("Session: pain after", "#157347", _points(s["session_pain_after"]), "triangle", False),
    ]
    references = [
        Reference(label, colour, value)
        for label, colour, value in [
            ("Baseline (intake)", INK, chart["baseline"]),
            ("Average 30 % below baseline", "#d9480f", chart["lines"]["p30"]),
            ("Average 50 % below baseline", "#157347", chart["lines"]["p50"]),
        ]
        if value is not None
    ]
    title = "Average pain and pain before and after treatment, 0-10"
    return figure("pain", title, chart, lines, references)


def function_chart(chart):
    s = chart["series"]
    lines = [
        Line("PEG score (lower is better)", "#6f42c1", _points(s["peg"])),
        Line("PSFS mean (higher is better)", "#0b7a63", _points(s["psfs"]), "diamond"),
        Line(
            "Movement confidence (clinic measure, higher is better)",
            "#0a6c8f",
            _points(s["confidence"]),
            "triangle",
        ),
    ]
    return figure("function", "PEG, PSFS and movement confidence, 0-10", chart, lines, [])


def figure(name, title, chart, lines, references):
    """The chart's SVG and its legend, or "" when it has no points to draw."""
    lines = [line for line in lines if line.points]
    if not lines:
        return ""
    dates = [day for line in lines for day, _ in line.points]
    for band in chart["phases"]:
        dates += [_date(band["from"]), _date(band["to"])]
    scale = Scale(min(dates), max(dates))
    svg = format_html(
        '<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-chart-title">'
        '<title id="{}-chart-title">{}</title>'
        '<g font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">{}{}{}{}{}</g>'
        "</svg>",
        WIDTH,
        HEIGHT,
        name,
        name,
        title,
        _bands(chart["phases"], scale),
        _grid(scale),
        mark_safe("".join(_reference(ref, scale) for ref in references)),
        mark_safe("".join(_series(line, scale) for line in lines)),
        _x_ticks(scale),
    )
    return svg + _legend(lines, references, chart["phases"])


class Scale:
    """Dates to x and 0-10 values to y, in the plot area inside the margins."""

    def __init__(self, first, last):
        pad = 2 if last > first else 7
        self.first = first - datetime.timedelta(days=pad)
        self.last = last + datetime.timedelta(days=pad)
        self.days = (self.last - self.first).days

    def x(self, day):
        return round(LEFT + (day - self.first).days / self.days * (WIDTH - LEFT - RIGHT), 1)

    def y(self, value):
        return round(TOP + (Y_MAX - float(value)) / Y_MAX * (HEIGHT - TOP - BOTTOM), 1)


def _date(iso):
    return datetime.date.fromisoformat(iso)


def _points(rows, source=None):
    return [(_date(r["date"]), r["value"]) for r in rows if source is None or r["source"] == source]


def _bands(phases, scale):
    parts = []
    for band in phases:
        left, right = scale.x(_date(band["from"])), scale.x(_date(band["to"]))
        if right <= left:
            continue
        name = f"{band['phase']}. {band['label']}"
        label = name if len(name) * CHAR_WIDTH < right - left - 8 else str(band["phase"])
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" fill-opacity="{}"/>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                left,
                TOP,
                round(right - left, 1),
                HEIGHT - TOP - BOTTOM,
                BAND_COLOUR[band["phase"]],
                BAND_OPACITY[band["phase"]],
                left,
                TOP + 1.5,
                right,
                TOP + 1.5,
                BAND_COLOUR[band["phase"]],
                left + 4,
                TOP - 6,
                MUTED,
                label,
            )
        )
    return mark_safe("".join(parts))


def _grid(scale):
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
        '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
        (
            (LEFT, scale.y(v), WIDTH - RIGHT, scale.y(v), GRID, LEFT - 6, scale.y(v) + 4, MUTED, v)
            for v in range(0, Y_MAX + 1, 2)
        ),
    )


def _x_ticks(scale):
    parts, year = [], None
    for n in range(TICKS):
        day = scale.first + datetime.timedelta(days=round(scale.days * (n + 0.5) / TICKS))
        x = scale.x(day)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                x,
                HEIGHT - BOTTOM,
                x,
                HEIGHT - BOTTOM + 4,
                MUTED,
                x,
                HEIGHT - BOTTOM + 16,
                MUTED,
                format_date(day, "j M"),
            )
        )
        if day.year != year:
            year = day.year
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                    x,
                    HEIGHT - BOTTOM + 30,
                    MUTED,
                    year,
                )
            )
    return mark_safe("".join(parts))


def _reference(ref, scale):
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5" '
        'stroke-dasharray="6 4"/>',
        LEFT,
        scale.y(ref.value),
        WIDTH - RIGHT,
        scale.y(ref.value),
        ref.colour,
    )


def _series(line, scale):
    xy = [(scale.x(day), scale.y(value)) for day, value in line.points]
    path = mark_safe("")
    if line.line and len(xy) > 1:
        path = format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(f"{x},{y}" for x, y in xy),
            line.colour,
        )
    return path + mark_safe("".join(_marker(line.marker, x, y, line.colour) for x, y in xy))


def _marker(kind, x, y, colour, size=3.5):
    if kind == "diamond":
        s = size + 1
        points = f"{x},{y - s} {x + s},{y} {x},{y + s} {x - s},{y}"
        return format_html('<polygon points="{}" fill="{}"/>', points, colour)
    if kind == "triangle":
        s = size + 1
        points = f"{x},{y - s} {x + s},{y + s * 0.8} {x - s},{y + s * 0.8}"
        return format_html('<polygon points="{}" fill="{}"/>', points, colour)
    return format_html('<circle cx="{}" cy="{}" r="{}" fill="{}"/>', x, y, size, colour)


def _legend(lines, references, phases):
    """Two rows: what is drawn, then the phases behind it."""
    drawn = []
    for line in lines:
        stroke = mark_safe("")
        if line.line:
            stroke = format_html(
                '<line x1="2" y1="8" x2="26" y2="8" stroke="{}" stroke-width="2"/>', line.colour
            )
        drawn.append((_swatch(stroke + _marker(line.marker, 14, 8, line.colour)), line.label))
    for ref in references:
        dash = format_html(
            '<line x1="2" y1="8" x2="26" y2="8" stroke="{}" stroke-width="1.5" '
            'stroke-dasharray="6 4"/>',
            ref.colour,
        )
        drawn.append((_swatch(dash), ref.label))
    bands = []
    for number in sorted({band["phase"] for band in phases}):
        label = next(band["label"] for band in phases if band["phase"] == number)
        rect = format_html(
            '<rect x="2" y="1" width="24" height="14" fill="{}" fill-opacity="{}"/>'
            '<line x1="2" y1="2.5" x2="26" y2="2.5" stroke="{}" stroke-width="3"/>',
            BAND_COLOUR[number],
            BAND_OPACITY[number],
            BAND_COLOUR[number],
        )
        bands.append((_swatch(rect), f"Phase {number}: {label.lower()}"))
    return mark_safe(
        "".join(
            format_html(
                '<ul class="chart-legend">{}</ul>', format_html_join("", "<li>{} {}</li>", items)
            )
            for items in (drawn, bands)
            if items
        )
    )


def _swatch(markup):
    return format_html(
        '<svg class="legend-swatch" xmlns="http://www.w3.org/2000/svg" width="28" height="16" '
        'viewBox="0 0 28 16" aria-hidden="true">{}</svg>',
        markup,
    )
