"""Instructions and measures for everyone: the organisation-wide ones.

An :class:`~watwerkt.catalogue.models.Instruction` or
:class:`~watwerkt.catalogue.models.Measure` without a service applies to the
whole incident ("the city never asks for your password by e-mail", "deadlines
you missed because of the outage are extended"); the public overview shows
them under "Voor iedereen". These functions add, change and remove them for
the console (and any other interface) the way every write here goes:

- the input is checked first and a refusal (:class:`NoticeError`, naming the
  field) changes nothing;
- the write takes the next catalogue revision, so every public page and its
  ETag follow at once;
- an audit entry (``instruction.add|edit|remove``, ``measure.add|edit|remove``)
  keeps the values before and after.

A write that changes nothing writes nothing. The catalogue file holds these
rows too: importing a catalogue later replaces them with what the file says
(export the catalogue after editing here to keep the file in step).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from django.db.models import Max

from watwerkt.audit.services import record
from watwerkt.catalogue.models import Instruction, Measure, Organisation
from watwerkt.lib.i18n import LANGUAGES
from watwerkt.status.writing import Actor, revising

Notice = Instruction | Measure
What = Literal["instruction", "measure"]
MODELS: dict[str, type[Instruction] | type[Measure]] = {
    "instruction": Instruction,
    "measure": Measure,
}
TEXT_LIMIT = 1000  # per language: a notice is a sentence or two, read on a phone


class NoticeError(ValueError):
    """A write refused: ``field`` names what to fix, the message says how."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def general(organisation: Organisation, what: What) -> list[Notice]:
    """The organisation-wide instructions (or measures), in the order shown."""
    model = _model(what)
    rows = model.objects.filter(organisation=organisation, service__isnull=True)
    return list(rows.order_by("position", "id"))


def _model(what: str) -> type[Instruction] | type[Measure]:
    if what not in MODELS:
        raise NoticeError("what", f"unknown kind of notice {what!r}; use instruction or measure")
    return MODELS[what]


def _what(row: Notice) -> What:
    return "instruction" if isinstance(row, Instruction) else "measure"


def _kind(model: type[Instruction] | type[Measure], kind: str) -> str:
    if kind not in model.KINDS:
        raise NoticeError("kind", f"unknown value {kind!r}; use one of {', '.join(model.KINDS)}")
    return kind


def _texts(
    given: Mapping[str, str], organisation: Organisation, old: Mapping[str, str]
) -> dict[str, str]:
    """``given`` merged into ``old`` per language; an empty text removes a language.
    The organisation's language must keep a text: it is every other's fallback."""
    merged = dict(old)
    for language, text in given.items():
        if language not in LANGUAGES:
            raise NoticeError(
                "text", f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}"
            )
        if not isinstance(text, str):
            raise NoticeError("text", f"the {language} text must be text")
        text = text.strip()
        if len(text) > TEXT_LIMIT:
            raise NoticeError("text", f"the {language} text is longer than {TEXT_LIMIT} characters")
        if text:
            merged[language] = text
        else:
            merged.pop(language, None)
    if not merged.get(organisation.language):
        raise NoticeError(
            "text", f"text in {organisation.language} (the organisation's language) is required"
        )
    return merged


def _json(row: Notice) -> dict[str, Any]:
    return {"kind": row.kind, "text": row.text}


def _label(organisation: Organisation, what: str) -> str:
    return f"{organisation.slug}/{what}s (everyone)"


def add_notice(
    organisation: Organisation, what: What, kind: str, text: Mapping[str, str], actor: Actor
) -> Notice:
    """A new organisation-wide instruction or measure, shown after the others."""
    model = _model(what)
    clean = _texts(text, organisation, {})
    _kind(model, kind)
    with revising(actor):
        rows = model.objects.filter(organisation=organisation, service__isnull=True)
        last = rows.aggregate(last=Max("position"))["last"]
        row = model.objects.create(
            organisation=organisation,
            kind=kind,
            text=clean,
            position=0 if last is None else last + 1,
        )
        record(
            actor,
            f"{what}.add",
            organisation=organisation,
            target=row,
            label=_label(organisation, what),
            after=_json(row),
        )
    return row


def edit_notice(
    row: Notice, actor: Actor, *, kind: str | None = None, text: Mapping[str, str] | None = None
) -> Notice:
    """Change the kind or the text (merged per language) of an organisation-wide notice."""
    _general_only(row)
    organisation = row.organisation
    what = _what(row)
    if kind is not None:
        _kind(type(row), kind)
    if text is not None:
        _texts(text, organisation, row.text)  # refuse bad text before writing
    with revising(actor) as write:
        row.refresh_from_db()
        before = _json(row)
        if kind is not None:
            row.kind = kind
        if text is not None:
            row.text = _texts(text, organisation, row.text)
        after = _json(row)
        if after == before:
            write.touched = False  # nothing changed: no revision, no entry
            return row
        row.save(update_fields=["kind", "text"])
        changed = [k for k in after if after[k] != before[k]]
        record(
            actor,
            f"{what}.edit",
            organisation=organisation,
            target=row,
            label=_label(organisation, what),
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return row


def remove_notice(row: Notice, actor: Actor) -> None:
    """Take an organisation-wide notice down (the audit entry keeps its text)."""
    _general_only(row)
    organisation = row.organisation
    what = _what(row)
    with revising(actor):
        row.refresh_from_db()
        before = _json(row)
        record(
            actor,
            f"{what}.remove",
            organisation=organisation,
            target=row,
            label=_label(organisation, what),
            before=before,
        )
        row.delete()


def _general_only(row: Notice) -> None:
    """Service-level notices belong with their service, not here."""
    if row.service_id is not None:
        raise NoticeError("notice", "this notice belongs to a service, not to everyone")
