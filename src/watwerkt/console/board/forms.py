"""The board's forms: filters, the quick edit of a status, the bulk edit, and help.

Forms only read and check what was typed (with the parsers of
:mod:`watwerkt.status.values`, through :mod:`.forms_status`); the writes are
``status.services.set_status`` (a bulk edit: ``apply_manual_many`` with a
:class:`StatusChange` laid onto each item's own status) and
:mod:`watwerkt.authoring.edits`, whose refusals
(:class:`~watwerkt.authoring.edits.CatalogueError`) are shown on the field
they name, in Dutch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from watwerkt.authoring.edits import CatalogueError, HelpEntry
from watwerkt.catalogue.models import Alternative, Instruction, Measure
from watwerkt.console.fields import (
    ExpectedFields,
    QualifierRows,
    clean_since,
    expected_choices,
    expected_initial,
    kept_text,
    level_choices,
    set_choices,
)
from watwerkt.engine import Expected, Level
from watwerkt.lib.i18n import pick
from watwerkt.present.words import ALTERNATIVE_KINDS, INSTRUCTION_KINDS, MEASURE_KINDS
from watwerkt.status.values import ManualStatus, QualifierValue

NOTE_LIMIT = 500
ROW_LIMIT = 1000  # far more rows than a formset holds (max_num): a larger index is tampered
QUALIFIER_ROWS = 2


class StatusForm(ExpectedFields):
    """A manual status as a person states it: level, qualifiers, expected return,
    public note and pin, and an internal note for the history."""

    level = forms.ChoiceField(label=gettext_lazy("Niveau"))
    since = forms.CharField(
        label=gettext_lazy("Sinds"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("leeg: nu, of ongewijzigd als het niveau hetzelfde blijft"),
    )
    pinned = forms.BooleanField(
        label=gettext_lazy("Vastzetten"),
        required=False,
        help_text=gettext_lazy(
            "dit niveau geldt, wat de systemen eronder ook zeggen "
            "(bv. er is een papieren procedure)"
        ),
    )
    public_note = forms.CharField(
        label=gettext_lazy("Uitleg voor bewoners"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "verschijnt op de publieke site; wijzig je ze, dan vervallen de vertalingen"
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Interne notitie"),
        required=False,
        max_length=NOTE_LIMIT,
        help_text=gettext_lazy("waarom, voor de geschiedenis en de audit; niet publiek"),
    )

    def __init__(
        self, *args: Any, language: str, keep: ManualStatus | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        self.keep = keep
        set_choices(self, "level", level_choices())
        self.qualifier_rows = QualifierRows(
            self, language, keep.qualifiers if keep else (), QUALIFIER_ROWS
        )
        if keep is not None and not self.is_bound:
            self.initial.update(self.qualifier_rows.initial())
            self.initial.update(expected_initial(keep.expected))
            self.initial.update(
                level=keep.level.word, pinned=keep.pinned, public_note=keep.note.get(language, "")
            )
        self.status: ManualStatus | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since = clean_since(self, "since")
        qualifiers = self.qualifier_rows.clean()
        expected = self.clean_expected_value(since)
        if self.errors or "level" not in data:
            return data
        old_note = self.keep.note if self.keep else None
        self.status = ManualStatus(
            level=Level.parse(data["level"]),
            qualifiers=qualifiers,
            since=since,
            expected=expected,
            pinned=bool(data.get("pinned")),
            note=kept_text(data.get("public_note") or "", old_note, self.language),
        )
        return data


class QuickEditForm(StatusForm):
    """One service, one function or one function x channel (``target``, an address
    as :mod:`watwerkt.status.targets` reads it)."""

    target = forms.ChoiceField(label=gettext_lazy("Wat"))

    def __init__(self, *args: Any, targets: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target", list(targets))
        self.order_fields(["target"])


KEEP = ""  # the choice that leaves each item's own value as it is
CLEAR_EXPECTED = "wissen"
PIN_CHOICES = {"vast": True, "los": False}


@dataclass(frozen=True)
class StatusChange:
    """What a bulk edit changes on each item: the level always, the rest only when
    given (``None``: each item keeps its own). A change is laid onto each
    item's own stored status, so one sentence for many services does not wipe
    what each of them said."""

    level: Level
    since: datetime | None = None
    qualifiers: tuple[QualifierValue, ...] | None = None  # () clears them
    expected: Expected | None = None
    set_expected: bool = False  # with expected None: clear it
    note: str | None = None  # the public note in the organisation's language; "" clears it
    pinned: bool | None = None

    def onto(self, old: ManualStatus, language: str) -> ManualStatus:
        """``old`` with this change. A note or qualifier typed as the item already
        has it, in ``language``, keeps the item's translations of it."""
        return ManualStatus(
            level=self.level,
            qualifiers=old.qualifiers if self.qualifiers is None else self._kept(old, language),
            since=self.since,  # None: kept while the level stays, else now (the services' rule)
            expected=self.expected if self.set_expected else old.expected,
            pinned=old.pinned if self.pinned is None else self.pinned,
            note=dict(old.note) if self.note is None else kept_text(self.note, old.note, language),
        )

    def _kept(self, old: ManualStatus, language: str) -> tuple[QualifierValue, ...]:
        def words(q: QualifierValue) -> tuple[str, str, str]:
            return q.code.value, q.date, pick(q.text, language, language).text

        own = {words(q): q for q in old.qualifiers}
        return tuple(own.get(words(q), q) for q in self.qualifiers or ())


def bulk_expected_choices() -> list[tuple[str, str]]:
    return [
        (KEEP, _("niet wijzigen: elk onderdeel houdt het zijne")),
        (CLEAR_EXPECTED, _("wissen: niet opgegeven")),
        *[(value, label) for value, label in expected_choices() if value],
    ]


class BulkForm(ExpectedFields):
    """One change for every service ticked on the board (all their items, or only
    the items that depend on the board's chosen system). Only what is filled in
    changes (:class:`StatusChange`): an empty field keeps each item's own value."""

    level = forms.ChoiceField(label=gettext_lazy("Niveau"))
    since = forms.CharField(
        label=gettext_lazy("Sinds"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy(
            "leeg: nu voor onderdelen die van niveau veranderen; de andere houden hun begin"
        ),
    )
    clear_qualifiers = forms.BooleanField(
        label=gettext_lazy("Voorwaarden van elk onderdeel wissen"), required=False
    )
    public_note = forms.CharField(
        label=gettext_lazy("Uitleg voor bewoners"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "verschijnt op de publieke site bij elk onderdeel; leeg: elk onderdeel houdt "
            "zijn eigen uitleg (met vertalingen)"
        ),
    )
    clear_public_note = forms.BooleanField(
        label=gettext_lazy("Uitleg van elk onderdeel wissen"), required=False
    )
    pin = forms.ChoiceField(
        label=gettext_lazy("Vastzetten"),
        required=False,
        choices=[
            (KEEP, gettext_lazy("niet wijzigen: elk onderdeel blijft vast of los")),
            ("vast", gettext_lazy("vastzetten: dit niveau geldt, wat de systemen ook zeggen")),
            ("los", gettext_lazy("losmaken: de systemen eronder tellen weer mee")),
        ],
    )
    note = forms.CharField(
        label=gettext_lazy("Interne notitie"),
        required=False,
        max_length=NOTE_LIMIT,
        help_text=gettext_lazy("waarom, voor de geschiedenis en de audit; niet publiek"),
    )
    services = forms.MultipleChoiceField(
        label=gettext_lazy("Diensten"),
        error_messages={"required": gettext_lazy("Vink minstens één dienst aan.")},
    )
    only_dependent = forms.BooleanField(required=False)
    system = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    back = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args: Any, language: str, services: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        set_choices(self, "level", level_choices())
        set_choices(self, "expected", bulk_expected_choices())
        set_choices(self, "services", [(slug, slug) for slug in services])
        self.fields["expected"].help_text = _(
            "leeg: elk onderdeel houdt zijn eigen verwachte terugkeer"
        )
        self.qualifier_rows = QualifierRows(self, language, (), QUALIFIER_ROWS)
        self.change: StatusChange | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since = clean_since(self, "since")
        qualifiers = self.qualifier_rows.clean()
        expected = self.clean_expected_value(since)
        note = (data.get("public_note") or "").strip()
        if qualifiers and data.get("clear_qualifiers"):
            self.add_error(
                "clear_qualifiers",
                _("Kies: nieuwe voorwaarden, of de voorwaarden wissen. Niet allebei."),
            )
        if note and data.get("clear_public_note"):
            self.add_error(
                "clear_public_note",
                _("Kies: een nieuwe uitleg, of de uitleg wissen. Niet allebei."),
            )
        if self.errors or "level" not in data:
            return data
        kind = data.get("expected") or KEEP
        self.change = StatusChange(
            level=Level.parse(data["level"]),
            since=since,
            qualifiers=() if data.get("clear_qualifiers") else (qualifiers or None),
            expected=expected,
            set_expected=kind != KEEP,
            note="" if data.get("clear_public_note") else (note or None),
            pinned=PIN_CHOICES.get(data.get("pin") or KEEP),
        )
        return data


class BoardFilterForm(forms.Form):
    """The board's filters: a GET form, so a filtered board is a link to pass on."""

    domein = forms.ChoiceField(label=gettext_lazy("Domein"), required=False)
    niveau = forms.ChoiceField(label=gettext_lazy("Niveau"), required=False)
    sinds = forms.CharField(
        label=gettext_lazy("Gewijzigd sinds"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "datetime-local"}),
    )
    systeem = forms.ChoiceField(label=gettext_lazy("Hangt af van systeem"), required=False)

    def __init__(
        self,
        *args: Any,
        domains: Sequence[tuple[str, str]],
        systems: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "domein", [("", _("alle")), *domains])
        set_choices(self, "niveau", [("", _("alle")), *level_choices()])
        set_choices(self, "systeem", [("", _("geen filter")), *systems])
        self.changed_since: datetime | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.changed_since = clean_since(self, "sinds")
        return data


# -- help: alternatives, instructions, measures ---------------------------------------


def kind_choices(labels: Any, kinds: Sequence[str]) -> list[tuple[str, str]]:
    return [("", _("(kies)"))] + [(k, labels[k]()) for k in kinds]


class HelpRowForm(forms.Form):
    """One entry; ``keep`` is its texts as stored, so translations survive an unchanged text."""

    kind = forms.ChoiceField(label=gettext_lazy("Soort"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Tekst"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remove = forms.BooleanField(label=gettext_lazy("Weghalen"), required=False)
    row = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=0,
        max_value=ROW_LIMIT,
        error_messages={
            "max_value": gettext_lazy("Deze rij bestaat niet (meer): laad de pagina opnieuw.")
        },
    )

    kinds: Any = INSTRUCTION_KINDS
    model: Any = Instruction

    def __init__(self, *args: Any, language: str, keep: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        self.keep = keep
        set_choices(self, "kind", kind_choices(self.kinds, self.model.KINDS))

    def old(self, name: str) -> Any:
        row = self.cleaned_data.get("row")
        stored = self.keep[row] if row is not None and row < len(self.keep) else None
        return getattr(stored, name) if stored is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("remove") and not data.get("kind") and (data.get("text") or "").strip():
            self.add_error("kind", _("Kies een soort."))
        return data

    def wanted(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("kind")) and not data.get("remove")

    def entry(self) -> HelpEntry:
        data = self.cleaned_data
        return HelpEntry(
            data["kind"], kept_text(data.get("text") or "", self.old("text"), self.language)
        )


class MeasureRowForm(HelpRowForm):
    kinds = MEASURE_KINDS
    model = Measure


class AlternativeRowForm(HelpRowForm):
    scope = forms.ChoiceField(label=gettext_lazy("Geldt voor"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Kanaal"), required=False)
    phone = forms.CharField(label=gettext_lazy("Telefoon"), required=False, max_length=40)
    email = forms.CharField(label=gettext_lazy("E-mail"), required=False, max_length=254)
    url = forms.CharField(label=gettext_lazy("Webadres"), required=False, max_length=500)
    hours = forms.CharField(label=gettext_lazy("Openingsuren"), required=False, max_length=300)

    kinds = ALTERNATIVE_KINDS
    model = Alternative

    def __init__(
        self,
        *args: Any,
        scopes: Sequence[tuple[str, str]],
        channels: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "scope", list(scopes))
        set_choices(self, "channel", [("", _("(geen)")), *channels])

    def entry(self) -> HelpEntry:
        data = self.cleaned_data
        base = super().entry()
        return HelpEntry(
            base.kind,
            base.text,
            data.get("scope") or "",
            data.get("channel") or "",
            (data.get("url") or "").strip(),
            (data.get("phone") or "").strip(),
            (data.get("email") or "").strip(),
            kept_text(data.get("hours") or "", self.old("hours"), self.language),
        )


ERROR_WORDS = {
    ("text", "required"): gettext_lazy("Schrijf een tekst in het Nederlands."),
    ("text", "too_long"): gettext_lazy("Deze tekst is te lang (hoogstens 2000 tekens)."),
    ("hours", "too_long"): gettext_lazy("Deze tekst is te lang (hoogstens 2000 tekens)."),
    ("url", "invalid"): gettext_lazy("Geen geldig webadres: begin met https://."),
    ("phone", "invalid"): gettext_lazy(
        "Geen geldig telefoonnummer: cijfers, spaties en + . / - ( )."
    ),
    ("email", "invalid"): gettext_lazy("Geen geldig e-mailadres."),
    ("channel", "unknown"): gettext_lazy("Dit kanaal bestaat niet (meer)."),
    ("scope", "unknown"): gettext_lazy("Dit onderdeel bestaat niet (meer)."),
    ("scope", "not_allowed"): gettext_lazy("Dit geldt altijd voor de hele dienst."),
    ("kind", "unknown"): gettext_lazy("Kies een soort uit de lijst."),
}


def error_words(error: CatalogueError) -> str:
    """A refusal of the catalogue services, said in Dutch."""
    found = ERROR_WORDS.get((error.field, error.code))
    if found is not None:
        return str(found)
    if error.code == "too_many":
        return _("Te veel: laat er enkele weg.")
    return _("Deze waarde kan niet: %(why)s") % {"why": error.message}


class HelpFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows of help; untouched empty rows are ignored, the rest becomes the new list."""

    def entries(self) -> tuple[list[HelpEntry], list[Any]]:
        rows: list[Any] = [f for f in self.forms if f.has_changed() or f.initial]
        wanted = [f for f in rows if f.wanted()]
        return [f.entry() for f in wanted], wanted

    def refused(self, error: CatalogueError, rows: list[Any]) -> None:
        """Show ``error`` on the row and field it names (or above the rows)."""
        message = error_words(error)
        if error.index is not None and error.index < len(rows):
            form = rows[error.index]
            name = error.field if error.field in form.fields else None
            form.add_error(name, message)
        else:
            self._non_form_errors = self.error_class([message])


def help_formset(form: type[HelpRowForm], extra: int = 2) -> Any:
    return forms.formset_factory(
        form, formset=HelpFormSet, extra=extra, max_num=50, validate_max=True
    )
