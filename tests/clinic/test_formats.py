"""Dates and times read one way everywhere, the admin's lists included."""

import datetime

from django.template import Context, Template
from django.utils import formats


def test_a_date_reads_day_month_year():
    rendered = Template("{{ day|date }}").render(Context({"day": datetime.date(2026, 11, 25)}))
    assert rendered == "25 Nov 2026"


def test_a_time_of_day_is_on_the_24_hour_clock():
    at = datetime.datetime(2026, 11, 25, 14, 5)
    assert formats.localize(at) == "25 Nov 2026, 14:05"
    assert formats.date_format(at, "DATETIME_FORMAT") == "25 Nov 2026, 14:05"


def test_typed_dates_are_still_read_day_first():
    assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
