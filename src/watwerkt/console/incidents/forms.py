"""The forms of the console's incident, maintenance and "voor iedereen" pages.

Forms check the shape of what was typed (a date is a date, the Dutch text is
there, a service belongs to the organisation); the incident and notice
services decide everything else. When a service refuses a write, its error
names a field (``IncidentError.field``); :func:`refuse` puts the message on
that field of the form, in Dutch, so the person sees what to fix where they
typed it, and nothing was written.

Texts come per language: a field ``<name>_<language>`` for each of the
organisation's language (required where the service requires it) and the
other three (optional). An empty field removes that language, exactly as the
services merge texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from watwerkt.authoring.notices import TEXT_LIMIT as NOTICE_LIMIT
from watwerkt.authoring.notices import NoticeError
from watwerkt.catalogue.models import Instruction, Measure, Organisation, Service, System
from watwerkt.console.moments import check_range
from watwerkt.incidents import rules
from watwerkt.incidents.maintenance import STATED
from watwerkt.incidents.models import IMPACTS, OPEN_PHASES, PHASES
from watwerkt.incidents.rules import IncidentError
from watwerkt.lib.i18n import LANGUAGES, pick
from watwerkt.present.incidents import IMPACT_WORDS, PHASE_WORDS, SECTION_TITLES, STATE_WORDS
from watwerkt.present.words import INSTRUCTION_KINDS, MEASURE_KINDS

LANGUAGE_NAMES: dict[str, Callable[[], str]] = {
    "nl": lambda: _("Nederlands"),
    "fr": lambda: _("Frans"),
    "en": lambda: _("Engels"),
    "de": lambda: _("Duits"),
}
TARGET_LIMIT = rules.TITLE_LIMIT * 2  # what recovery.add_target allows
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def language_name(code: str) -> str:
    say = LANGUAGE_NAMES.get(code)
    return say() if say else code


def languages(organisation: Organisation) -> list[str]:
    """The organisation's language first (the one every other falls back to)."""
    return [organisation.language, *(c for c in LANGUAGES if c != organisation.language)]


def words(table: Mapping[str, Callable[[], str]], keys: Iterable[str]) -> list[tuple[str, str]]:
    return [(key, table[key]()) for key in keys]


def dutch_name(texts: Mapping[str, str] | None, organisation: Organisation, fallback: str) -> str:
    """A catalogue name as the (Dutch) console shows it."""
    return pick(texts, "nl", organisation.language).text or fallback


# -- fields ------------------------------------------------------------------------------


class MomentField(forms.DateTimeField):
    """A date and time as ``<input type="datetime-local">`` sends it, read in the
    time zone active while the form is checked (the organisation's), in the
    years the console accepts (:mod:`.moments`)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    default_validators = [check_range]

    def clean(self, value: Any) -> Any:
        """In UTC, as the database gives stored times back: the services compare the
        stored and the new value as ISO text for the audit trail, so the same moment
        written in another time zone would count as a change. The range is checked
        first (on the time as typed): year 1 cannot even be moved to UTC."""
        found = super().clean(value)
        return found.astimezone(UTC) if found is not None else None


class DayField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_validators = [check_range]


class ServiceChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def __init__(self, organisation: Organisation, **kwargs: Any) -> None:
        rows = Service.objects.filter(organisation=organisation).select_related("domain")
        super().__init__(
            rows.order_by("domain__position", "position", "id"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )
        self.organisation = organisation

    def label_from_instance(self, obj: Any) -> str:
        org = self.organisation
        domain = dutch_name(obj.domain.name, org, obj.domain.slug)
        return f"{dutch_name(obj.name, org, obj.slug)} ({domain})"


def usable_systems(organisation: Organisation) -> Any:
    """The systems an incident or window of ``organisation`` may name (its own and
    the shared ones it depends on: the services' own rule)."""
    ids = System.objects.filter(rules.usable_systems(organisation)).values("pk")
    return System.objects.filter(pk__in=ids).select_related("organisation").order_by("slug")


class OneChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One optional row, named by ``label``."""

    def __init__(self, rows: Any, label_of: Callable[[Any], str], **kwargs: Any) -> None:
        super().__init__(rows, required=False, empty_label=_("(geen)"), **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj: Any) -> str:
        return self.label_of(obj)


class SystemChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def __init__(self, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(
            usable_systems(organisation),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )
        self.organisation = organisation

    def label_from_instance(self, obj: Any) -> str:
        return system_label(obj, self.organisation)


def system_label(system: System, organisation: Organisation) -> str:
    label = dutch_name(system.name, organisation, system.slug)
    if system.organisation_id != organisation.pk:
        label += " " + _("(gedeeld systeem van %(owner)s)") % {"owner": system.organisation.slug}
    return label


# -- texts per language ---------------------------------------------------------------------


@dataclass(frozen=True)
class OtherLanguage:
    code: str
    name: str
    field: BoundField
    open: bool  # has text or an error: shown unfolded


@dataclass(frozen=True)
class TextGroup:
    """One text in every language, as the template lays it out: the organisation's
    language first, the others folded away unless they hold something."""

    name: str
    label: str
    main: BoundField
    others: tuple[OtherLanguage, ...]


class TextsForm(forms.Form):
    """A form with texts per language (see the module)."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.text_names: dict[str, str] = {}  # name -> label

    def add_text(
        self,
        name: str,
        label: str,
        *,
        required: bool,
        limit: int,
        multiline: bool = False,
        only: Iterable[str] | None = None,
        help_text: str = "",
    ) -> None:
        """Fields ``<name>_<language>``; ``required``: in the organisation's language."""
        self.text_names[name] = label
        for code in only or languages(self.organisation):
            attrs = {"lang": code}
            widget = (
                forms.Textarea(attrs={**attrs, "rows": 8}) if multiline else forms.TextInput(attrs)
            )
            self.fields[f"{name}_{code}"] = forms.CharField(
                label=f"{label} ({language_name(code)})",
                required=required and code == self.organisation.language,
                max_length=limit,
                widget=widget,
                help_text=help_text if code == self.organisation.language else "",
            )

    def texts(self, name: str) -> dict[str, str]:
        """``{language: text}`` for the languages on the form ("" removes one)."""
        prefix = f"{name}_"
        return {
            field[len(prefix) :]: self.cleaned_data.get(field) or ""
            for field in self.fields
            if field.startswith(prefix) and field[len(prefix) :] in LANGUAGES
        }

    def groups(self) -> list[TextGroup]:
        found = []
        for name, label in self.text_names.items():
            codes = [c for c in languages(self.organisation) if f"{name}_{c}" in self.fields]
            if not codes:
                continue
            bound = {c: self[f"{name}_{c}"] for c in codes}
            others = tuple(
                OtherLanguage(c, language_name(c), b, bool(b.value() or b.errors))
                for c, b in ((c, bound[c]) for c in codes[1:])
            )
            found.append(TextGroup(name, label, bound[codes[0]], others))
        return found

    def initial_texts(self, name: str, texts: Mapping[str, str]) -> None:
        for code, text in texts.items():
            if f"{name}_{code}" in self.fields:
                self.initial[f"{name}_{code}"] = text


# -- incidents ---------------------------------------------------------------------------------


def phase_choices(keys: Iterable[str] = PHASES) -> list[tuple[str, str]]:
    return words(PHASE_WORDS, keys)


class IncidentForm(TextsForm):
    """Create an incident, or change its title, impact, start and what it affects."""

    started_at = MomentField(
        label=gettext_lazy("Begonnen op"),
        required=False,
        help_text=gettext_lazy("Leeg: nu."),
    )

    def __init__(self, *args: Any, organisation: Organisation, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.add_text("title", _("Titel"), required=True, limit=rules.TITLE_LIMIT)
        self.fields["impact"] = forms.ChoiceField(
            label=_("Impact"), choices=words(IMPACT_WORDS, IMPACTS)
        )
        if new:
            self.fields["phase"] = forms.ChoiceField(
                label=_("Fase"), choices=phase_choices(OPEN_PHASES)
            )
            self.fields["slug"] = forms.CharField(
                label=_("Adres (id)"),
                required=False,
                max_length=rules.SLUG_LIMIT,
                help_text=_(
                    "Het laatste stuk van het webadres, bv. cyberaanval. "
                    "Leeg: gemaakt uit de titel."
                ),
            )
        else:
            self.fields["started_at"].required = True
            self.fields["started_at"].help_text = ""
        self.fields["services"] = ServiceChoices(organisation, label=_("Getroffen diensten"))
        self.fields["systems"] = SystemChoices(organisation, label=_("Getroffen systemen"))


SECTION_LIMIT = rules.TEXT_LIMIT


class SectionsForm(TextsForm):
    """The four sections in one language (the console's language tabs)."""

    def __init__(
        self, *args: Any, organisation: Organisation, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        for key, title in SECTION_TITLES.items():
            self.add_text(
                key, title(), required=False, limit=SECTION_LIMIT, multiline=True, only=[language]
            )

    def sections(self) -> dict[str, dict[str, str]]:
        return {key: self.texts(key) for key in SECTION_TITLES}


class PhaseForm(forms.Form):
    reopen = forms.BooleanField(
        label=gettext_lazy("Heropenen: de fase mag teruggaan"),
        required=False,
    )
    resolved_at = MomentField(
        label=gettext_lazy("Opgelost op"),
        required=False,
        help_text=gettext_lazy("Alleen voor de fase Opgelost. Leeg: nu."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"] = forms.ChoiceField(label=_("Nieuwe fase"), choices=phase_choices())
        self.order_fields(["phase", "reopen", "resolved_at"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("resolved_at") and data.get("phase") != "resolved":
            self.add_error("resolved_at", _("Een tijdstip van oplossen hoort alleen bij Opgelost."))
        return data


class UpdateForm(TextsForm):
    """A dated update: Markdown in the organisation's language, optionally in the
    others; its phase (not for a published update, which keeps its own)."""

    previewed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, organisation: Organisation, published: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.add_text(
            "body",
            _("Tekst"),
            required=True,
            limit=rules.TEXT_LIMIT,
            multiline=True,
            help_text=_(
                "Markdown: een lege regel begint een nieuwe alinea, - een opsomming, "
                "**vet**, [link](https://...). Geen afbeeldingen of HTML."
            ),
        )
        if not published:
            self.fields["phase"] = forms.ChoiceField(label=_("Fase"), choices=phase_choices())
            self.fields["reopen"] = forms.BooleanField(
                label=_("Heropenen: de fase mag teruggaan"), required=False
            )


class TargetForm(TextsForm):
    """A recovery target: what will work again, by when, about what."""

    due = DayField(
        label=gettext_lazy("Doeldatum"),
        required=False,
        help_text=gettext_lazy("Leeg: nog geen datum."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.add_text("text", _("Wat werkt dan weer"), required=True, limit=TARGET_LIMIT)
        self.fields["service"] = OneChoice(
            Service.objects.filter(organisation=organisation).order_by("position", "id"),
            lambda s: dutch_name(s.name, organisation, s.slug),
            label=_("Over de dienst"),
        )
        self.fields["system"] = OneChoice(
            usable_systems(organisation),
            lambda s: system_label(s, organisation),
            label=_("Over het systeem"),
        )


class ReachForm(forms.Form):
    reached = forms.BooleanField(required=False)
    reached_at = MomentField(label=gettext_lazy("Bereikt op"), required=False)


# -- maintenance ---------------------------------------------------------------------------------


class MaintenanceForm(TextsForm):
    starts = MomentField(label=gettext_lazy("Begint op"))
    ends = MomentField(label=gettext_lazy("Eindigt op"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.add_text("title", _("Titel"), required=True, limit=rules.TITLE_LIMIT)
        self.add_text(
            "description",
            _("Beschrijving"),
            required=False,
            limit=rules.TEXT_LIMIT,
            multiline=True,
            help_text=_("Markdown, zoals bij updates."),
        )
        self.fields["services"] = ServiceChoices(organisation, label=_("Getroffen diensten"))
        self.fields["systems"] = SystemChoices(organisation, label=_("Getroffen systemen"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("Het onderhoud moet eindigen na het begin."))
        return data


class StateForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"] = forms.ChoiceField(
            label=_("Toestand"), choices=words(STATE_WORDS, STATED)
        )


class CancelForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Waarom (voor de audit)"), required=False, max_length=500
    )


# -- instructions and measures for everyone --------------------------------------------


NOTICE_KINDS = {"instruction": INSTRUCTION_KINDS, "measure": MEASURE_KINDS}
NOTICE_MODELS: dict[str, type[Instruction] | type[Measure]] = {
    "instruction": Instruction,
    "measure": Measure,
}


class NoticeForm(TextsForm):
    def __init__(self, *args: Any, organisation: Organisation, what: str, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Soort"), choices=words(NOTICE_KINDS[what], NOTICE_MODELS[what].KINDS)
        )
        self.add_text("text", _("Tekst"), required=True, limit=NOTICE_LIMIT, multiline=True)
        for code in languages(organisation):
            self.fields[f"text_{code}"].widget.attrs["rows"] = 3


# -- refusals, in Dutch, on the field they name ----------------------------------------------------


def _phase(word: str) -> str:
    say = PHASE_WORDS.get(word)
    return say() if say else word


def _state(word: str) -> str:
    say = STATE_WORDS.get(word)
    return say() if say else word


# (pattern of the services' message, its Dutch words); the groups fill the blanks.
DUTCH: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"text in (\w+) \(the organisation's language\) is required"),
     lambda m: _("Een tekst in het %(lang)s is verplicht: de andere talen vallen erop terug.")
     % {"lang": language_name(m[1])}),
    (re.compile(r"the (\w+) text is longer than (\d+) characters"),
     lambda m: _("De tekst in het %(lang)s is langer dan %(n)s tekens.")
     % {"lang": language_name(m[1]), "n": m[2]}),
    (re.compile(r"cannot go back from (\w+) to (\w+)"),
     lambda m: _("De fase kan niet terug van “%(from)s” naar “%(to)s”. Vink “Heropenen” aan "
                 "als dat de bedoeling is.") % {"from": _phase(m[1]), "to": _phase(m[2])}),
    (re.compile(r"a postmortem follows a resolved incident"),
     lambda m: _("Een nabeschouwing komt na een opgelost incident: zet het eerst op Opgelost.")),
    (re.compile(r"^cannot be in the future$"),
     lambda m: _("Dit tijdstip ligt in de toekomst.")),
    (re.compile(r"an incident cannot be resolved before it started"),
     lambda m: _("Een incident kan niet opgelost zijn voor het begon.")),
    (re.compile(r"the incident is already resolved"),
     lambda m: _("Het incident is al opgelost.")),
    (re.compile(r"^already published$"),
     lambda m: _("Dit is al gepubliceerd.")),
    (re.compile(r"a published update keeps its phase"),
     lambda m: _("Een gepubliceerde update houdt zijn fase; plaats een nieuwe update.")),
    (re.compile(r"a published update cannot be discarded"),
     lambda m: _("Een gepubliceerde update kan niet weg; corrigeer hem.")),
    (re.compile(r"'(.*)' is already used"),
     lambda m: _("“%(id)s” is al in gebruik in deze organisatie.") % {"id": m[1]}),
    (re.compile(r"'(.*)' is not an id"),
     lambda m: _("“%(id)s” is geen geldig adres: gebruik kleine letters, cijfers en "
                 "koppeltekens (hoogstens %(n)s tekens).") % {"id": m[1], "n": rules.SLUG_LIMIT}),
    (re.compile(r"the window must end after it starts"),
     lambda m: _("Het onderhoud moet eindigen na het begin.")),
    (re.compile(r"the window was cancelled"),
     lambda m: _("Dit onderhoud is geannuleerd; plan een nieuw als het toch doorgaat.")),
    (re.compile(r"the window is already over"),
     lambda m: _("Dit onderhoud is al voorbij: er valt niets meer aan te kondigen.")),
    (re.compile(r"the window is already completed"),
     lambda m: _("Dit onderhoud is al afgerond.")),
    (re.compile(r"the window is already (\w+); states go forward"),
     lambda m: _("Het onderhoud is al “%(state)s”; de toestand gaat alleen vooruit.")
     % {"state": _state(m[1])}),
    (re.compile(r"publish the window before stating its progress"),
     lambda m: _("Kondig het onderhoud eerst aan (publiceren) voor je de voortgang aangeeft.")),
    (re.compile(r"neither owns nor depends on: (.*)"),
     lambda m: _("Geen systeem van deze organisatie of waarvan ze afhangt: %(names)s.")
     % {"names": m[1]}),
    (re.compile(r"not services of [\w-]+: (.*)"),
     lambda m: _("Geen diensten van deze organisatie: %(names)s.") % {"names": m[1]}),
    (re.compile(r"this notice belongs to a service"),
     lambda m: _("Deze melding hoort bij een dienst, niet bij iedereen.")),
]  # fmt: skip


def dutch(error: IncidentError | NoticeError) -> str:
    """The services' message in Dutch; as it is when there are no Dutch words for it."""
    for pattern, say in DUTCH:
        found = pattern.search(error.message)
        if found:
            return say(found)
    return error.message


LANGUAGE_IN_MESSAGE = re.compile(r"\b(?:in|the) (nl|fr|en|de)\b")


def refuse(
    form: forms.Form, error: IncidentError | NoticeError, fields: Mapping[str, str] | None = None
) -> None:
    """Show a refused write on the field it names (``fields`` maps the services'
    field names to the form's), or above the form when the form has no such field."""
    field = (fields or {}).get(error.field, error.field)
    found = LANGUAGE_IN_MESSAGE.search(error.message)
    candidates = [f"{field}_{found[1]}"] if found else []
    candidates += [f"{field}_{c}" for c in LANGUAGES] + [field]
    target = next((c for c in candidates if c in form.fields), None)
    form.add_error(target, dutch(error))
