"""The years a date or moment typed in the console may name.

Every date and moment field of the console (a status's start, an expected
return, an incident's start, a maintenance window, an audit filter, a key's
last day) is checked against the range the shared parsers use
(:data:`watwerkt.status.values.YEARS`), before anything is computed
with it: year 1 cannot be moved from Brussels to UTC and year 9999 runs off
the calendar when a day is added, so an unchecked extreme date is a crash
further on, not a refusal. Nothing the console deals with lies outside these
years; a date that does is a typo, and the person is told which years work.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext as _

from watwerkt.status.values import YEARS

FIRST_YEAR, LAST_YEAR = YEARS.start, YEARS.stop - 1  # the one range of every interface
LEADING_YEAR = re.compile(r"\s*(\d+)-")


def out_of_range_message() -> str:
    return _("Kies een datum tussen %(first)s en %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def in_range(value: date) -> bool:
    """Whether ``value`` (a date, or a date and time in the zone it was typed in)
    lies in the years the console accepts."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


def typed_out_of_range(raw: str) -> bool:
    """Whether typed text starts with a year outside the range ("0001-01-01",
    "9999-12"), checked before parsing: the parsers may refuse such a year with
    a vaguer message, or accept it and overflow later."""
    found = LEADING_YEAR.match(raw)
    return found is not None and not FIRST_YEAR <= int(found[1]) <= LAST_YEAR


def check_range(value: date | None) -> None:
    """A validator for Django's date and date-time fields."""
    if value is not None and not in_range(value):
        raise forms.ValidationError(out_of_range_message(), code="out_of_range")
