"""A Statuspage client written the way real ones are: fixed types, strict enums.

Modelled on the clients of status aggregators and exporters: every field
they read must be there with its type, enums are closed (``maintenance`` is
not an indicator, ``unknown`` is not a component status), timestamps must
carry an offset, and — like clients that decode with unknown fields
disallowed — no field may be there that Statuspage does not send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

INDICATORS = {"none", "minor", "major", "critical"}
COMPONENT_STATUSES = {
    "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance",
}  # fmt: skip
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}
IMPACTS = {"none", "minor", "major", "critical"}

PAGE = {"id": str, "name": str, "url": str, "time_zone": str, "updated_at": "time"}
STATUS = {"indicator": INDICATORS, "description": str}
COMPONENT = {
    "id": str, "name": str, "status": COMPONENT_STATUSES, "created_at": "time",
    "updated_at": "time", "position": int, "description": (str, None), "showcase": bool,
    "start_date": ("date", None), "group_id": (str, None), "page_id": str, "group": bool,
    "only_show_if_degraded": bool,
}  # fmt: skip
UPDATE = {
    "id": str, "status": INCIDENT_STATUSES | MAINTENANCE_STATUSES, "body": str,
    "incident_id": str, "created_at": "time", "updated_at": "time", "display_at": "time",
    "affected_components": (list, None), "deliver_notifications": bool,
    "custom_tweet": (str, None), "tweet_id": (str, None),
}  # fmt: skip
INCIDENT = {
    "id": str, "name": str, "status": INCIDENT_STATUSES, "created_at": "time",
    "updated_at": "time", "monitoring_at": ("time", None), "resolved_at": ("time", None),
    "impact": IMPACTS, "shortlink": str, "started_at": "time", "page_id": str,
    "incident_updates": list, "components": list,
}  # fmt: skip
MAINTENANCE = {
    **INCIDENT, "status": MAINTENANCE_STATUSES, "impact": IMPACTS | {"maintenance"},
    "scheduled_for": "time", "scheduled_until": "time",
}  # fmt: skip


class ClientError(ValueError):
    pass


def _time(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise ClientError(f"{where}: not a timestamp: {value!r}")
    parsed = datetime.fromisoformat(value)
    if parsed.utcoffset() is None:
        raise ClientError(f"{where}: timestamp without offset: {value!r}")
    return parsed


def _check(value: Any, kind: Any, where: str) -> None:
    if isinstance(kind, tuple):
        if value is None and None in kind:
            return
        kind = kind[0]
    if kind == "time":
        _time(value, where)
    elif kind == "date":
        date.fromisoformat(value)
    elif isinstance(kind, set):
        if value not in kind:
            raise ClientError(f"{where}: {value!r} is not one of {sorted(kind)}")
    elif kind is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ClientError(f"{where}: not an integer: {value!r}")
    elif not isinstance(value, kind):
        raise ClientError(f"{where}: {value!r} is not {kind.__name__}")


def strict(
    data: Any, shape: dict[str, Any], where: str, extra: frozenset[str] = frozenset()
) -> None:
    if not isinstance(data, dict):
        raise ClientError(f"{where}: not an object")
    unknown = set(data) - set(shape) - extra
    if unknown:
        raise ClientError(f"{where}: unknown fields {sorted(unknown)}")
    for name, kind in shape.items():
        if name not in data:
            raise ClientError(f"{where}: missing {name!r}")
        _check(data[name], kind, f"{where}.{name}")


@dataclass
class Component:
    id: str
    name: str
    status: str
    group: bool
    group_id: str | None
    children: list[str]
    position: int


@dataclass
class Summary:
    page: dict[str, Any]
    indicator: str
    description: str
    components: list[Component]
    incidents: list[dict[str, Any]]
    maintenances: list[dict[str, Any]]

    def by_name(self) -> dict[str, Component]:
        return {c.name: c for c in self.components}


def read_incident(data: Any, shape: dict[str, Any], where: str) -> dict[str, Any]:
    strict(data, shape, where)
    for n, update in enumerate(data["incident_updates"]):
        strict(update, UPDATE, f"{where}.incident_updates[{n}]")
        if update["incident_id"] != data["id"]:
            raise ClientError(f"{where}: update {update['id']} of another incident")
    for n, component in enumerate(data["components"]):
        strict(component, COMPONENT, f"{where}.components[{n}]", frozenset({"components"}))
    return dict(data)


def read_components(rows: Any) -> list[Component]:
    found = []
    for n, row in enumerate(rows):
        strict(
            row,
            COMPONENT,
            f"components[{n}]",
            frozenset({"components"} if row.get("group") else ()),
        )
        found.append(
            Component(
                row["id"],
                row["name"],
                row["status"],
                row["group"],
                row["group_id"],
                list(row.get("components", [])),
                row["position"],
            )
        )
    ids = {c.id for c in found}
    if len(ids) != len(found):
        raise ClientError("component ids are not unique")
    for c in found:
        if c.group_id is not None and c.group_id not in ids:
            raise ClientError(f"{c.name}: group {c.group_id} is not a component")
        if c.group and any(child not in ids for child in c.children):
            raise ClientError(f"{c.name}: lists a child that is not a component")
    return found


def read_summary(data: Any) -> Summary:
    strict(data, {"page": dict, "status": dict, "components": list, "incidents": list,
                  "scheduled_maintenances": list}, "summary")  # fmt: skip
    strict(data["page"], PAGE, "page")
    strict(data["status"], STATUS, "status")
    return Summary(
        data["page"],
        data["status"]["indicator"],
        data["status"]["description"],
        read_components(data["components"]),
        [read_incident(i, INCIDENT, f"incidents[{n}]") for n, i in enumerate(data["incidents"])],
        [
            read_incident(m, MAINTENANCE, f"scheduled_maintenances[{n}]")
            for n, m in enumerate(data["scheduled_maintenances"])
        ],
    )
