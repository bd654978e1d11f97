"""A service's changes over time, read from its status events.

Each entry is one write that changed the service's status as the public sees
it: its level, or the level of one of its functions or channels. With it go
the reasons, from the effective events of the service's items in the same
write (the systems they depend on, named only when public), and the public
note a person gave with a manual change. Actors and the write's own note are
internal and never read here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from watwerkt.status.models import StatusEvent

Texts = Mapping[str, str]
StatusValue = Mapping[str, Any]
LIMIT = 200  # entries on a page: a probe flapping for months must not make it endless


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    before: str | None  # a level; None: the item did not exist yet
    after: str
    qualifiers: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Entry:
    at: datetime
    before: str | None  # the service's level before; None: it was added
    after: str
    items: tuple[ItemChange, ...]  # the items whose level changed
    causes: tuple[Mapping[str, Any], ...]  # why the items are as they are now
    cleared: tuple[int, ...]  # systems that no longer hold anything back
    notes: tuple[tuple[int, Texts], ...]  # (item, the note a person gave)


def _visible(old: StatusValue | None, new: StatusValue) -> bool:
    """A change the public sees: added, or a level of the service or of its parts."""
    if old is None:
        return True
    return bool(old.get("level") != new.get("level") or old.get("counts") != new.get("counts"))


def entries(service_id: int, item_ids: Collection[int], limit: int = LIMIT) -> list[Entry]:
    """The service's changes, newest first, at most ``limit``."""
    # Most events change what the public sees; reading a few times the limit is plenty
    # and keeps a service whose status flapped ten thousand times cheap to show.
    rows = (
        StatusEvent.objects.filter(subject="service", object_id=service_id, layer="effective")
        .order_by("-at", "-id")
        .values_list("at", "revision", "old", "new")[: limit * 4]
    )
    found = [
        (at, rev, old, new) for at, rev, old, new in rows if new is not None and _visible(old, new)
    ][:limit]
    details = _item_events(item_ids, {rev for _at, rev, _old, _new in found})
    return [
        _entry(at, old, new, details.get(rev, {"effective": [], "manual": []}))
        for at, rev, old, new in found
    ]


def _item_events(
    item_ids: Collection[int], revisions: set[int]
) -> dict[int, dict[str, list[tuple[int, Any, Any]]]]:
    """The item events of those writes, per revision and layer."""
    found: dict[int, dict[str, list[tuple[int, Any, Any]]]] = defaultdict(
        lambda: {"effective": [], "manual": []}
    )
    if not item_ids or not revisions:
        return found
    rows = StatusEvent.objects.filter(
        subject="item", object_id__in=list(item_ids), revision__in=sorted(revisions)
    ).order_by("id")
    for revision, layer, object_id, old, new in rows.values_list(
        "revision", "layer", "object_id", "old", "new"
    ):
        found[revision][layer].append((object_id, old, new))
    return found


def _entry(
    at: datetime,
    old: StatusValue | None,
    new: StatusValue,
    events: Mapping[str, list[tuple[int, Any, Any]]],
) -> Entry:
    items: list[ItemChange] = []
    causes: dict[str, Mapping[str, Any]] = {}
    roots_before: set[int] = set()
    roots_after: set[int] = set()
    for item_id, before, after in events["effective"]:
        if after is None:
            continue
        if before is None or before.get("level") != after.get("level"):
            items.append(
                ItemChange(
                    item_id,
                    before.get("level") if before else None,
                    after["level"],
                    tuple(after.get("qualifiers") or ()),
                )
            )
        # A pinned status holds despite its causes: they are not why it is so.
        for cause in () if after.get("pinned") else after.get("causes") or ():
            causes.setdefault(json.dumps(cause, sort_keys=True), cause)
        roots_after |= {root(c) for c in after.get("causes") or ()}
        roots_before |= {root(c) for c in (before or {}).get("causes") or ()}
    notes = [
        (item_id, after["note"])
        for item_id, before, after in events["manual"]
        if after and after.get("note") and _note_news(before, after)
    ]
    return Entry(
        at,
        old.get("level") if old else None,
        new["level"],
        tuple(items),
        tuple(causes.values()),
        tuple(sorted(roots_before - roots_after)),
        tuple(notes),
    )


def _note_news(before: StatusValue | None, after: StatusValue) -> bool:
    """A note is worth repeating when it is new, or comes with a new level."""
    if before is None:
        return True
    return bool(before.get("note") != after.get("note") or before.get("level") != after["level"])


def root(cause: Mapping[str, Any]) -> int:
    """The system at the bottom of a cause chain: the one that is bad on its own."""
    link = cause
    while link.get("via") and not link.get("own"):
        link = link["via"][0]
    return int(link["system"])
