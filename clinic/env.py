"""Read settings from the environment, failing loudly on malformed values.

Every helper raises ImproperlyConfigured naming the variable, so a typo in a
deployment's .env stops start-up instead of silently falling back to a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def _raw(name, environ):
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    return None if value is None else value.strip()


def env_str(name, default="", *, environ=None):
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name, default=False, *, environ=None):
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")


def env_int(name, default, *, minimum=None, maximum=None, environ=None):
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {number}")
    return number


def env_list(name, default=(), *, environ=None):
    """A comma-separated list; empty items are an error (a stray comma is a typo)."""
    value = _raw(name, environ)
    if value is None or value == "":
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} has an empty item in {value!r}")
    return items


def env_url_list(name, default=(), *, environ=None):
    """A comma-separated list of origins such as https://clinic.example.org."""
    items = env_list(name, default, environ=environ)
    for item in items:
        if not item.startswith(("http://", "https://")) or " " in item:
            raise ImproperlyConfigured(
                f"{name} items must start with http:// or https://, not {item!r}"
            )
    return items


def env_choice(name, default, choices, *, environ=None):
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value
