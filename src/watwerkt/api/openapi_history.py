"""The history schemas of the OpenAPI document: 90-day availability and recovery progress.

Merged into :func:`watwerkt.api.openapi.document`, next to the operations
that answer them (``…/services/{service}/availability``,
``…/domains/{domain}/availability``, ``…/recovery``). The levels and the
number of days come from the history app, which makes the figures.
"""

from __future__ import annotations

from typing import Any

from watwerkt.history.bars import DAYS
from watwerkt.history.days import LEVELS

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
DT: Schema = {"type": "string", "format": "date-time"}
DATE: Schema = {"type": "string", "format": "date"}
URL: Schema = {"type": "string", "format": "uri"}
COUNT: Schema = {"type": "integer", "minimum": 0}
SECONDS: Schema = {"type": "integer", "minimum": 0}
DAY_LEVELS = [*LEVELS, "mixed", "absent"]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def null(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Schema]) -> Schema:
    """A closed object, every field required (as the rest of the document)."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def described(schema: Schema, description: str) -> Schema:
    return {**schema, "description": description}


def array(items: Schema, size: int | None = None) -> Schema:
    found: Schema = {"type": "array", "items": items}
    if size is not None:
        found.update(minItems=size, maxItems=size)
    return found


def history_schemas() -> dict[str, Schema]:
    curve = {
        "affected": described(COUNT, "Services that did not work at some moment since `start`."),
        "working": described(COUNT, "Of those, how many work (available or limited) now."),
        "points": described(
            array(ref("RecoveryPoint")),
            "From each moment on, how many of the affected services worked; the first at `start`.",
        ),
        "days": described(
            array(ref("RecoveryDay")),
            "How many worked at the end of each local day from `start` (today: now).",
        ),
    }
    return {
        "LevelSeconds": described(
            obj(dict.fromkeys(LEVELS, SECONDS)),
            "Seconds spent at each level.",
        ),
        "AvailabilityDay": obj(
            {
                "date": DATE,
                "level": described(
                    {"type": "string", "enum": DAY_LEVELS},
                    "The level of the whole day; `mixed` when the day had several "
                    "(see `seconds`), `absent` when the subject did not exist yet.",
                ),
                "length": described(
                    SECONDS, "Seconds in the day: 82800 to 90000 (DST), today so far."
                ),
                "seconds": ref("LevelSeconds"),
                "absent": described(SECONDS, "Seconds of the day before the subject existed."),
            }
        ),
        "Availability": described(
            obj(
                {
                    "from": described(DATE, "The first day shown."),
                    "until": described(DT, "The end of the last day shown (today: now)."),
                    "time_zone": described(STR, "The organisation's: days are its local days."),
                    "totals": obj(
                        {"length": SECONDS, "seconds": ref("LevelSeconds"), "absent": SECONDS}
                    ),
                    "days": array(ref("AvailabilityDay"), DAYS),
                    "links": obj({"self": URL}),
                }
            ),
            f"The last {DAYS} local days, oldest first, as the availability bars show "
            "them. A level's share of a day is `seconds[level] / length`.",
        ),
        "RecoveryPoint": obj({"at": DT, "working": COUNT}),
        "RecoveryDay": obj({"date": DATE, "working": COUNT}),
        "RecoveryIncident": obj({"id": STR, "title": ref("Texts"), "links": obj({"self": URL})}),
        "DomainRecovery": obj({"id": STR, **curve}),
        "Recovery": described(
            obj(
                {
                    "incident": described(
                        null(ref("RecoveryIncident")),
                        "The incident counted from: the latest published one; null when "
                        f"counted from the first outage in the last {DAYS} days.",
                    ),
                    "start": described(null(DT), "Null: nothing stopped working."),
                    "until": DT,
                    "services": described(COUNT, "Services in the catalogue now."),
                    **curve,
                    "domains": described(
                        array(ref("DomainRecovery")),
                        "Domains with affected services, in catalogue order.",
                    ),
                    "links": obj({"self": URL}),
                }
            ),
            "Recovery progress: x (`working`) of y (`affected`) services work again, "
            "over time and per domain, as the public recovery page shows it.",
        ),
    }
