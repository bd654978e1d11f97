"""Form pieces every status form of the console shares: levels, system states,
expected returns, dates and qualifiers, in Dutch.

Values are read by the one set of parsers in :mod:`watwerkt.status.values`
(the CLI and the import use the same); a value they refuse gets a Dutch
message naming the field, and the form is not valid, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from watwerkt.engine import LEVEL_WORDS, QUALIFIER_WORDS, SYSTEM_WORDS, Expected
from watwerkt.engine.levels import QUALIFIERS_NEEDING_DATE, QUALIFIERS_NEEDING_TEXT, Qualifier
from watwerkt.lib.i18n import pick
from watwerkt.present.words import QUALIFIER_WORDS as QUALIFIER_PHRASES
from watwerkt.status.explain import level_label, state_label
from watwerkt.status.values import (
    QualifierValue,
    expected_ends_before,
    parse_date,
    parse_datetime,
    parse_expected,
    parse_qualifier,
)

from .moments import in_range, out_of_range_message, typed_out_of_range

VAGUE = ("days", "weeks", "months", "none")
DATED = "date"
FUTURE_SLACK = timedelta(minutes=5)  # clocks differ a little; a start later than this is a typo


def set_choices(form: forms.Form, name: str, choices: Sequence[tuple[str, str]]) -> None:
    """Give a choice field its choices when the form is made (they depend on the catalogue)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = list(choices)


def level_choices() -> list[tuple[str, str]]:
    return [(w, level_label(w)) for w in LEVEL_WORDS]


def state_choices() -> list[tuple[str, str]]:
    return [(w, state_label(w)) for w in SYSTEM_WORDS]


def expected_choices() -> list[tuple[str, str]]:
    return [
        ("", _("niet opgegeven")),
        ("days", _("binnen enkele dagen")),
        ("weeks", _("binnen enkele weken")),
        ("months", _("binnen enkele maanden")),
        ("none", _("nog geen datum")),
        (DATED, _("op een datum of in een maand (vul hieronder in)")),
    ]


def qualifier_label(code: str) -> str:
    """A qualifier as a choice: its public words, "…" where its own text or date goes."""
    phrase = QUALIFIER_PHRASES[code]()
    return phrase.replace("%(text)s", "…").replace("%(date)s", "…")


def qualifier_choices() -> list[tuple[str, str]]:
    return [("", _("(geen)"))] + [(code, qualifier_label(code)) for code in QUALIFIER_WORDS]


def date_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"type": "date", **attrs})


def expected_initial(expected: Expected | None) -> dict[str, str]:
    if expected is None:
        return {"expected": "", "expected_date": ""}
    if expected.kind in ("date", "month"):
        return {"expected": DATED, "expected_date": expected.value}
    return {"expected": expected.kind, "expected_date": ""}


class ExpectedFields(forms.Form):
    """When something is expected back: a vague span, "no date yet", or a date or month."""

    expected = forms.ChoiceField(label=gettext_lazy("Verwacht terug"), required=False)
    expected_date = forms.CharField(
        label=gettext_lazy("Datum of maand"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("bv. 2023-03-15, of 2023-03 voor een maand"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "expected", expected_choices())

    def clean_expected_value(self, since: datetime | None) -> Expected | None:
        """The expected return the form says, or None (errors added to the form)."""
        data = self.cleaned_data
        kind, raw = data.get("expected") or "", (data.get("expected_date") or "").strip()
        if kind in VAGUE:
            if raw:
                self.add_error(
                    "expected_date",
                    _(
                        "Kies “op een datum of in een maand” om een "
                        "datum te gebruiken, of maak dit veld leeg."
                    ),
                )
                return None
            return parse_expected(kind)
        if kind != DATED:
            if raw:
                self.add_error("expected", _("Kies “op een datum of in een maand” bij deze datum."))
            return None
        if typed_out_of_range(raw):
            self.add_error("expected_date", out_of_range_message())
            return None
        try:
            expected = parse_expected(raw) if raw else None
        except ValueError:
            expected = None
        if expected is None or expected.kind not in ("date", "month"):
            self.add_error(
                "expected_date",
                _("Schrijf een bestaande datum (2023-03-15) of een maand (2023-03)."),
            )
            return None
        if expected_ends_before(expected, since):
            self.add_error("expected_date", _("Deze datum ligt vóór het begin van de status."))
            return None
        return expected


def clean_since(form: forms.Form, name: str) -> datetime | None:
    """An optional start moment (date and time), not in the future."""
    raw = (form.cleaned_data.get(name) or "").strip()
    if not raw:
        return None
    if typed_out_of_range(raw):
        form.add_error(name, out_of_range_message())
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        form.add_error(name, _("Schrijf een bestaande datum en tijd, bv. 2023-02-01 09:30."))
        return None
    if not in_range(timezone.localtime(moment)):
        form.add_error(name, out_of_range_message())
        return None
    if moment > timezone.now() + FUTURE_SLACK:
        form.add_error(name, _("Dit moment ligt in de toekomst."))
        return None
    return moment


def clean_day(form: forms.Form, name: str) -> date | None:
    raw = (form.cleaned_data.get(name) or "").strip()
    if not raw:
        return None
    if typed_out_of_range(raw):
        form.add_error(name, out_of_range_message())
        return None
    try:
        return parse_date(raw)
    except ValueError:
        form.add_error(name, _("Schrijf een bestaande datum, bv. 2023-03-15."))
        return None


class QualifierRows:
    """Rows of (qualifier, its text, its date) added to a form, and read back.

    A row that repeats a qualifier the status already has, with the same text
    in the organisation's language, keeps that qualifier as it was, texts in
    other languages included.
    """

    def __init__(
        self, form: forms.Form, language: str, keep: tuple[QualifierValue, ...], count: int
    ) -> None:
        self.form, self.language, self.keep = form, language, keep
        self.count = max(count, len(keep) + 1)
        for i in range(self.count):
            form.fields[f"q{i}_code"] = forms.ChoiceField(
                label=_("Voorwaarde %(n)s") % {"n": i + 1},
                required=False,
                choices=qualifier_choices(),
            )
            form.fields[f"q{i}_text"] = forms.CharField(
                label=_("Tekst bij voorwaarde %(n)s") % {"n": i + 1},
                required=False,
                max_length=300,
                help_text=_(
                    "voor wie, waar of wat (nodig bij “alleen voor”, “alleen in”, “behalve”)"
                ),
            )
            form.fields[f"q{i}_date"] = forms.CharField(
                label=_("Datum bij voorwaarde %(n)s") % {"n": i + 1},
                required=False,
                max_length=10,
                widget=date_input(),
                help_text=_("nodig bij “alleen voor dossiers gestart vóór”"),
            )

    def initial(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for i, q in enumerate(self.keep):
            values[f"q{i}_code"] = q.code.value
            values[f"q{i}_text"] = pick(q.text, self.language, self.language).text
            values[f"q{i}_date"] = q.date
        return values

    def rows(self) -> list[tuple[Any, Any, Any]]:
        """The bound fields, row by row, for the template."""
        f = self.form
        return [(f[f"q{i}_code"], f[f"q{i}_text"], f[f"q{i}_date"]) for i in range(self.count)]

    def clean(self) -> tuple[QualifierValue, ...]:
        found: list[QualifierValue] = []
        for i in range(self.count):
            value = self._row(i)
            if value is None:
                continue
            if any(q.code == value.code for q in found):
                self.form.add_error(f"q{i}_code", _("Deze voorwaarde staat er al."))
                continue
            found.append(value)
        return tuple(found)

    def _row(self, i: int) -> QualifierValue | None:
        data = self.form.cleaned_data
        code = data.get(f"q{i}_code") or ""
        text = (data.get(f"q{i}_text") or "").strip()
        day = (data.get(f"q{i}_date") or "").strip()
        if not code:
            if text or day:
                self.form.add_error(f"q{i}_code", _("Kies de voorwaarde bij deze tekst of datum."))
            return None
        if day:
            if typed_out_of_range(day):
                self.form.add_error(f"q{i}_date", out_of_range_message())
                return None
            try:
                day = parse_date(day).isoformat()
            except ValueError:
                self.form.add_error(f"q{i}_date", _("Schrijf een bestaande datum, bv. 2022-12-06."))
                return None
        kept = self._kept(code, text, day)
        if kept is not None:
            return kept
        try:
            return parse_qualifier({"code": code, "text": text, "date": day}, self.language)
        except ValueError:
            self.form.add_error(*self._missing(i, Qualifier.parse(code)))
            return None

    def _kept(self, code: str, text: str, day: str) -> QualifierValue | None:
        for q in self.keep:
            same_text = pick(q.text, self.language, self.language).text == text
            if q.code.value == code and q.date == day and same_text:
                return q
        return None

    @staticmethod
    def _missing(i: int, code: Qualifier) -> tuple[str, str]:
        if code in QUALIFIERS_NEEDING_DATE:
            return f"q{i}_date", _("Deze voorwaarde heeft een datum nodig.")
        if code in QUALIFIERS_NEEDING_TEXT:
            return f"q{i}_text", _("Deze voorwaarde heeft een tekst nodig: voor wie, waar of wat.")
        return f"q{i}_code", _("Deze voorwaarde klopt niet.")


def kept_text(typed: str, old: Mapping[str, str] | None, language: str) -> dict[str, str]:
    """A text edited in one language: unchanged, it keeps its translations; changed,
    it stands alone (the old translations said something else); empty, it is gone."""
    typed = typed.strip()
    if old and old.get(language, "") == typed:
        return dict(old)
    return {language: typed} if typed else {}
