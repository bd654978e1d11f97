"""Import a catalogue: check it completely, then write it in one transaction.

>>> report = import_catalogue(text, filename="stad.yaml", actor=Actor("jan", "import"))
>>> print(report.render())

A catalogue with any error raises :class:`CatalogueInvalid` before anything
is written. A valid one goes through :func:`watwerkt.status.writing.writing`
like every other change: one revision, a manual event per status the file
changes, and the engine's effective statuses brought up to date. Importing
the same file again changes nothing, not even the revision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from watwerkt.status.revision import current_revision
from watwerkt.status.writing import Actor, Write, writing

from .errors import CatalogueError, CatalogueInvalid
from .references import Outside
from .sync import KINDS, Changes, Sync
from .validation import OutsideLoader, Source, validate_catalogue

__all__ = ["CatalogueError", "CatalogueInvalid", "ImportReport", "import_catalogue"]

SHOWN = 20  # names listed per kind and change before "... and N more"


@dataclass(frozen=True)
class StatusChange:
    path: str  # antwerpen/reispas/afhalen/loket, or antwerpen/datacenter for a system
    subject: str  # "item" or "system"
    before: str  # "new" for what the import created
    after: str

    def describe(self) -> str:
        if self.before == self.after:  # the level stays; since, note or expected changed
            return f"{self.after} (details changed)"
        return f"{self.before} -> {self.after}"


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    changes: dict[str, Changes] = field(default_factory=dict)
    statuses: list[StatusChange] = field(default_factory=list)
    effective: int = 0  # effective statuses the engine changed as a consequence
    revision: int = 0  # the revision after the import (unchanged when nothing changed)

    @property
    def changed(self) -> bool:
        return any(self.changes.values()) or bool(self.statuses) or bool(self.effective)

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """(created, updated, removed) per kind."""
        return {
            kind: (len(c.created), len(c.updated), len(c.removed))
            for kind, c in self.changes.items()
        }

    def render(self) -> str:
        verb = "would change" if self.dry_run else "changed"
        if not self.changed:
            return f"{self.filename}: nothing to change (revision {self.revision})\n"
        lines = [
            f"{self.filename}: {verb}" + ("" if self.dry_run else f" (revision {self.revision})")
        ]
        for kind in KINDS:
            lines.extend(_kind_lines(kind, self.changes.get(kind) or Changes()))
        if self.statuses:
            lines.append(f"  statuses: {len(self.statuses)} set by the file")
            lines.extend(f"    {s.path}: {s.describe()}" for s in self.statuses[:SHOWN])
            lines.extend(_more(len(self.statuses)))
        if self.effective:
            lines.append(f"  effective statuses: {self.effective} changed as a result")
        return "\n".join(lines) + "\n"


def _kind_lines(kind: str, changes: Changes) -> list[str]:
    if not changes:
        return []
    counts = [
        f"{len(names)} {what}"
        for what, names in (
            ("created", changes.created),
            ("updated", changes.updated),
            ("removed", changes.removed),
        )
        if names
    ]
    lines = [f"  {kind}: {', '.join(counts)}"]
    for sign, names in (("+", changes.created), ("~", changes.updated), ("-", changes.removed)):
        lines.extend(f"    {sign} {name}" for name in names[:SHOWN])
        lines.extend(_more(len(names)))
    return lines


def _more(count: int) -> list[str]:
    return [f"      ... and {count - SHOWN} more"] if count > SHOWN else []


class _DryRun(Exception):
    """Raised inside the write to roll it back after the report is complete."""


def import_catalogue(
    text_or_data: Source,
    *,
    filename: str,
    actor: Actor,
    dry_run: bool = False,
    outside: OutsideLoader = Outside.load,
) -> ImportReport:
    """Check and import a catalogue (YAML text or bytes, or a parsed mapping).

    Raises :class:`CatalogueInvalid`, listing every error, when the catalogue
    is not valid; nothing is written then. With ``dry_run`` the whole import
    runs, the report is made, and the transaction is rolled back.
    """
    spec = validate_catalogue(text_or_data, filename=filename, outside=outside)
    report = ImportReport(filename, dry_run)
    try:
        with writing(actor, note=f"catalogue import of {filename}") as write:
            write.resync = True  # the structure may have changed: recompute everything
            sync = Sync(spec, write)
            sync.run()
            if dry_run:
                write.finish()  # so that the report counts the effective changes too
                _fill(report, sync, write)
                raise _DryRun
    except _DryRun:
        pass
    else:
        _fill(report, sync, write)
    report.revision = current_revision()
    return report


def _fill(report: ImportReport, sync: Sync, write: Write) -> None:
    report.changes = sync.changes
    report.effective = len(write.changed)
    new = {*sync.changes["function x channels"].created, *sync.changes["systems"].created}
    report.statuses = [
        StatusChange(e.path, e.subject, "new" if e.path in new else _word(e.old), _word(e.new))
        for e in write.events
        if e.layer == "manual"
    ]


def _word(value: dict[str, Any] | None) -> str:
    """A status in a few words: ``limited (delays, manual)``."""
    if not value:
        return "-"
    word = value.get("level") or value.get("state") or "?"
    qualifiers = [q["code"] for q in value.get("qualifiers") or ()]
    return word + (f" ({', '.join(qualifiers)})" if qualifiers else "")
