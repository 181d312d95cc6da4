"""Reading a page back: every helper that scrapes a response's HTML (or a rendered
template's) lives here. The page as a reader sees it, a field and the error under it, the
session form's point rows, the progress page's chart data, summary and tables, the patient
page's session cards, the dashboard's status cards, the link shown once, and a parser of a
template's elements and labels.

    field_error(response, "pain_before")  # "Ensure this value is less than or equal to 10."
    chart = progress_data(practitioner_client.get(progress_url(ana)))
"""

import json
import re
from html.parser import HTMLParser

from django.utils.html import strip_tags

# The whole page


def html(response):
    return response.content.decode()


def text(fragment):
    """A fragment of HTML as a reader sees it: tags stripped, white space collapsed."""
    return " ".join(strip_tags(fragment).split())


def page_text(response):
    """The page as a reader sees it: tags stripped, white space collapsed."""
    return text(html(response))


# Form fields


def field_error(response, name):
    """The error shown under the main form's field `name` (crispy's block), or ''."""
    match = re.search(rf'<div id="id_{name}_error"[^>]*>(.*?)</div>', html(response), re.S)
    return text(match.group(1)) if match else ""


def field_tag(response, field_id):
    """The opening tag of a field on the page, by its id: its value, state and classes."""
    pattern = rf'<(?:input|select|textarea)\b[^>]*\bid="{field_id}"[^>]*>'
    match = re.search(pattern, html(response))
    assert match, f"no field #{field_id} on the page"
    return match.group(0)


def field_html(response, field_id):
    """A field as the page shows it: an input's tag, or a textarea with its text."""
    page = html(response)
    textarea = re.search(rf'<textarea\b[^>]*\bid="{field_id}"[^>]*>.*?</textarea>', page, re.S)
    if textarea:
        return textarea.group(0)
    match = re.search(rf'<(?:input|select)\b[^>]*\bid="{field_id}"[^>]*>', page)
    assert match, f"no field #{field_id} on the page"
    return match.group(0)


# The session form's point rows


def point_row_html(response, index):
    """The list item of point row `index`: its fields and the errors shown under them."""
    for item in html(response).split('<li class="point-row')[1:]:
        if f'id="id_points-{index}-point"' in item:
            return item.split("</li>")[0]
    raise AssertionError(f"no point row {index} on the page")


def point_row_error(response, index):
    row = point_row_html(response, index)
    return text(" ".join(re.findall(r'<div class="invalid-feedback[^"]*">(.*?)</div>', row)))


# The progress page and the report


def progress_data(response):
    """The charts' data, as the page's json_script hands it to the script."""
    return script_data(response, "progress-data")


def script_data(response, element_id):
    """The data a page's json_script element `element_id` hands to its script."""
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        html(response),
        re.S,
    )
    assert match, f"no {element_id} on the page"
    return json.loads(match.group(1))


def summary_value(response, term):
    """The text of the summary's <dd> after the <dt> `term`."""
    match = re.search(
        rf"<dt[^>]*>{re.escape(term)}</dt>\s*<dd[^>]*>(.*?)</dd>", html(response), re.S
    )
    assert match, f"no {term!r} in the summary"
    return " ".join(strip_tags(match.group(1)).split())


def section_table(response, heading_id):
    """The rows of the table in the section `heading_id`, each a list of its cells' text."""
    section = html(response).split(f'id="{heading_id}"')[1].split("</section>")[0]
    return _body_rows(section)


def table_rows(response, table_id):
    """The rows of the table `table_id`'s body, each a list of its cells' text."""
    return _body_rows(re.split(rf'<table[^>]* id="{table_id}"[^>]*>', html(response))[1])


def _body_rows(fragment):
    body = fragment.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            " ".join(strip_tags(cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# The patient page and the dashboard


def timeline_cards(response):
    """The text of each session card on the patient page, top to bottom."""
    section = html(response).split('id="sessions-heading"')[1].split("</section>")[0]
    return [" ".join(card.split()) for card in section.split('<li class="card')[1:]]


def status_card(page, status):
    """The text of the dashboard link to the list filtered by `status`."""
    match = re.search(rf'<a[^>]*href="/patients/\?status={status}"[^>]*>(.*?)</a>', page, re.S)
    assert match, f"no link to the {status} patients"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


# The page that shows a new link once


def shown_link(response, purpose):
    """The absolute link shown on the "link created" page, and its token."""
    match = re.search(rf'value="(http://testserver/p/{purpose}/([^/"]+)/)"', html(response))
    assert match, "no link on the page"
    return match.group(1), match.group(2)


# A rendered template's elements


class Markup(HTMLParser):
    """Collects every element's attributes, and the text of each label by its `for`."""

    def __init__(self, markup):
        super().__init__()
        self.elements = []
        self.label_text = {}
        self._label_for = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "label":
            self._label_for = attrs.get("for")
            self.label_text[self._label_for] = ""

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None

    def handle_data(self, data):
        if self._label_for is not None:
            self.label_text[self._label_for] += data

    def checkboxes(self):
        return [a for t, a in self.elements if t == "input" and a.get("type") == "checkbox"]

    def map_regions(self):
        return [a for _, a in self.elements if "data-region" in a]
