"""Describe engine changes for people: which public item goes from what to what."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, cast

from watwerkt.engine import Change, Status, SystemStatus

from .paths import describe
from .writing import Outcome

PUBLIC_SUBJECTS = ("organisation", "domain", "service", "item")


class ChangeLine(NamedTuple):
    subject: str
    path: str
    before: str
    after: str


def _word(status: Status | SystemStatus | None) -> str:
    if status is None:
        return "-"
    return status.state.word if isinstance(status, SystemStatus) else status.level.word


def change_lines(changes: Iterable[Change]) -> list[ChangeLine]:
    """One line per change whose level or state differs, systems first, then
    organisations, domains, services and items, each sorted by path."""
    by_subject: dict[str, list[Change]] = {}
    for change in changes:
        if _word(change.before) != _word(change.after):
            by_subject.setdefault(change.subject, []).append(change)
    lines = []
    for subject in ("system", *PUBLIC_SUBJECTS):
        found = by_subject.get(subject, [])
        paths = describe(subject, [cast(int, c.key) for c in found])
        lines.extend(
            sorted(
                ChangeLine(subject, paths[cast(int, c.key)].path, _word(c.before), _word(c.after))
                for c in found
                if cast(int, c.key) in paths
            )
        )
    return lines


def format_lines(lines: list[ChangeLine]) -> str:
    if not lines:
        return "no status would change"
    width = max(len(line.subject) for line in lines)
    return "\n".join(
        f"{line.subject:<{width}}  {line.path}: {line.before} -> {line.after}" for line in lines
    )


NOTHING_CHANGED = "nothing changed: it already had that status"


def written_text(done: Outcome) -> str:
    """What a write did, for the CLI: nothing, or the public statuses that moved."""
    if not done.changed:
        return NOTHING_CHANGED
    lines = change_lines(done.changes)
    return format_lines(lines) if lines else "saved; no other status changes because of it"
