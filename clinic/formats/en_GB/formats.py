# Dates and times one way everywhere, the admin included: "25 Nov 2026", "25 Nov 2026, 14:05".
# Only these are set; every other format is Django's own for en-GB.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
