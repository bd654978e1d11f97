"""Statuses in words people read: qualifiers, expected returns, dates, kinds of help.

Dutch is the source language: every msgid is the Dutch text, translated
through gettext. Functions here return text in the active language; the
catalogue's own texts (a qualifier's "who" or "where") are picked per
language with fallback by the caller's :class:`Localiser`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from watwerkt.lib.i18n import Localised, pick
from watwerkt.status.explain import level_label

from .foreign import Foreign, fmt

__all__ = ["Localiser", "level_label"]

QUALIFIER_WORDS: dict[str, Callable[[], str]] = {
    "delays": lambda: _("met vertraging"),
    "backlog": lambda: _("aanvragen worden aanvaard, maar later verwerkt"),
    "manual": lambda: _("manueel of op papier verwerkt"),
    "temporary_form": lambda: _("via een tijdelijk formulier"),
    "reduced_capacity": lambda: _("met beperkte capaciteit"),
    "reduced_hours": lambda: _("met beperkte openingsuren"),
    "fewer_locations": lambda: _("niet op alle locaties"),
    "appointment_only": lambda: _("alleen op afspraak"),
    "without_appointment": lambda: _("zonder afspraak"),
    "read_only": lambda: _("alleen raadplegen, niet wijzigen"),
    "started_before": lambda: _("alleen voor dossiers gestart vóór %(date)s"),
    "audience_only": lambda: _("alleen voor %(text)s"),
    "location_only": lambda: _("alleen in %(text)s"),
    "except": lambda: _("behalve %(text)s"),
    "no_notifications": lambda: _("zonder berichten of meldingen"),
    "not_affected": lambda: _("niet getroffen door de storing"),
}

EXPECTED_WORDS: dict[str, Callable[[], str]] = {
    "days": lambda: _("verwacht: binnen enkele dagen"),
    "weeks": lambda: _("verwacht: binnen enkele weken"),
    "months": lambda: _("verwacht: binnen enkele maanden"),
    "none": lambda: _("nog geen datum"),
}

ALTERNATIVE_KINDS: dict[str, Callable[[], str]] = {
    "channel": lambda: pgettext("alternative", "Ander kanaal"),
    "location": lambda: pgettext("alternative", "Andere locatie"),
    "organisation": lambda: pgettext("alternative", "Andere organisatie"),
    "temporary_form": lambda: pgettext("alternative", "Tijdelijk formulier"),
    "contact": lambda: pgettext("alternative", "Tijdelijk contactpunt"),
    "no_action": lambda: pgettext("alternative", "Geen actie nodig"),
}

INSTRUCTION_KINDS: dict[str, Callable[[], str]] = {
    "do": lambda: pgettext("instruction", "Doe dit"),
    "dont": lambda: pgettext("instruction", "Doe dit niet"),
    "info": lambda: pgettext("instruction", "Goed om te weten"),
}

MEASURE_KINDS: dict[str, Callable[[], str]] = {
    "fine_waived": lambda: pgettext("measure", "Geen boete"),
    "deadline_extended": lambda: pgettext("measure", "Termijn verlengd"),
    "payment_guaranteed": lambda: pgettext("measure", "Betaling gegarandeerd"),
    "backdated": lambda: pgettext("measure", "Met terugwerkende kracht"),
    "refund": lambda: pgettext("measure", "Terugbetaling"),
    "other": lambda: pgettext("measure", "Maatregel"),
}


# Date formats per language (Django's format characters): German writes "6. Dezember".
def day_format() -> str:
    return pgettext("date format", "j F Y")


def moment_format() -> str:
    return pgettext("date format", "j F Y H:i")


def kind_label(labels: Mapping[str, Callable[[], str]], kind: str) -> str:
    word = labels.get(kind)
    return word() if word else kind


def moment(value: str | datetime | None, with_time: bool = True) -> str:
    """A point in time as people read it: "6 december 2022 09:10" (or without the time)."""
    if not value:
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    return formats.date_format(when, moment_format() if with_time else day_format())


def since_words(value: str | datetime | None, with_time: bool = False) -> str:
    return _("sinds %(when)s") % {"when": moment(value, with_time)} if value else ""


def day(value: str) -> str:
    return formats.date_format(date.fromisoformat(value), day_format())


def expected_words(expected: Mapping[str, str] | None) -> str:
    """ "verwacht: maart 2023", "verwacht: binnen enkele weken", "nog geen datum"."""
    if not expected:
        return ""
    kind, value = expected.get("kind", ""), expected.get("value", "")
    if kind == "date" and value:
        return _("verwacht: %(when)s") % {"when": day(value)}
    if kind == "month" and value:
        first = date.fromisoformat(f"{value}-01")
        return _("verwacht: %(when)s") % {"when": formats.date_format(first, "F Y")}
    word = EXPECTED_WORDS.get(kind)
    return word() if word else ""


class Localiser:
    """Says things in one language: catalogue texts (falling back to the
    organisation's language) and statuses in words.

    Made for one render, while one language and time zone are active. It
    remembers what it said, because gettext and date formatting cost
    microseconds each and an overview repeats the same few words thousands
    of times.
    """

    def __init__(self, language: str, fallback: str) -> None:
        self.language = language
        self.fallback = fallback
        self.zone = timezone.get_current_timezone()
        self._memo: dict[tuple[Any, ...], str] = {}

    def pick(self, texts: Mapping[str, str] | None) -> Localised:
        return pick(texts, self.language, self.fallback)

    def text(self, texts: Mapping[str, str] | None) -> str:
        """The text in this language, else a :class:`~watwerkt.present.foreign.Foreign`
        text in the language it falls back to (HTML writers mark it)."""
        if texts:  # the common case first: said in the language asked for
            found = texts.get(self.language)
            if found:
                return found
        picked = pick(texts, self.language, self.fallback)
        return Foreign(picked.text, picked.language) if picked.text else ""

    def remember(self, key: tuple[Any, ...], say: Callable[[], str]) -> str:
        said = self._memo.get(key)
        if said is None:
            said = self._memo[key] = say()
        return said

    def level(self, word: str) -> str:
        return self.remember(("level", word), lambda: level_label(word))

    def since(self, value: str | datetime | None, with_time: bool = False) -> str:
        if not value:
            return ""
        when = self.local(value)
        # Keyed by what is shown, so thousands of distinct moments share a few days.
        key = ("since", when.replace(second=0, microsecond=0) if with_time else when.date())
        return self.remember(key, lambda: since_words(when, with_time))

    def moment(self, value: str | datetime | None) -> str:
        if not value:
            return ""
        when = self.local(value)
        return self.remember(
            ("moment", when.replace(second=0, microsecond=0)), lambda: moment(when)
        )

    def local(self, value: str | datetime) -> datetime:
        """``value`` in the active time zone (looked up once: it is not cheap)."""
        when = datetime.fromisoformat(value) if isinstance(value, str) else value
        return when.astimezone(self.zone) if timezone.is_aware(when) else when

    def expected(self, expected: Mapping[str, str] | None) -> str:
        if not expected:
            return ""
        key = ("expected", expected.get("kind"), expected.get("value"))
        return self.remember(key, lambda: expected_words(expected))

    def qualifier(self, qualifier: Mapping[str, Any]) -> str:
        """One qualifier in words; its own text added where the word alone says too little."""
        code = str(qualifier.get("code", ""))
        own = self.text(qualifier.get("text"))
        when = qualifier.get("date") or ""
        key = ("q", code, own, getattr(own, "language", ""), when)
        return self.remember(key, lambda: qualifier_words(code, own, when))

    def qualifiers(self, qualifiers: Any) -> list[str]:
        return [self.qualifier(q) for q in qualifiers or ()]


def qualifier_words(code: str, own: str, when: str) -> str:
    word = QUALIFIER_WORDS.get(code)
    if word is None:
        return own or code
    phrase = word()
    if "%(date)s" in phrase:
        return phrase % {"date": day(when) if when else "?"}
    if "%(text)s" in phrase:
        return fmt(phrase, text=own or "?")
    return fmt("%(phrase)s: %(own)s", phrase=phrase, own=own) if own else phrase
