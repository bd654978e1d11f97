"""The OpenAPI 3.1 document of the API, built from the code's own word lists.

Written by hand — every object, field and error — but in Python, so enums
(levels, qualifiers, kinds, phases) and limits come from the modules that
define them and cannot drift from what the API answers. Every object is
closed (``additionalProperties: false``) and every field required, so the
schemathesis run in the tests checks the answers exactly.

``docs/openapi.json`` is this document, written by
``python -m watwerkt.api --write``; a test fails when they differ.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from watwerkt.catalogue.models import Alternative, Channel, Instruction, Measure
from watwerkt.engine import LEVEL_WORDS, QUALIFIER_WORDS, SYSTEM_WORDS, DependencyKind
from watwerkt.engine import statuspage as sp
from watwerkt.incidents.models import IMPACTS, MAINTENANCE_STATES, PHASES
from watwerkt.lib.i18n import LANGUAGES

from .errors import MAX_QUERY_STRING
from .openapi_history import history_schemas
from .openapi_writes import (
    SECURITY_SCHEMES,
    SLUG,
    WRITE_ERROR_CODES,
    WRITE_PARAMETERS,
    path_parameter,
    write_paths,
    write_schemas,
)
from .params import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_LIMIT

Schema = dict[str, Any]
DOCS_FILE = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"

STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
INT: Schema = {"type": "integer"}
URL: Schema = {"type": "string", "format": "uri"}
DT: Schema = {"type": "string", "format": "date-time"}
DATE: Schema = {"type": "string", "format": "date"}
ERROR_CODES = [
    "not_found", "invalid_parameter", "unknown_parameter", "method_not_allowed",
    "not_acceptable", "query_too_long", "server_error",
    *WRITE_ERROR_CODES,
]  # fmt: skip
EXPECTED_KINDS = ["date", "month", "days", "weeks", "months", "none"]
COMPONENT_STATUSES = [sp.OPERATIONAL, sp.DEGRADED, sp.PARTIAL, sp.MAJOR, sp.MAINTENANCE]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def null(schema: Schema) -> Schema:
    if "type" in schema and "$ref" not in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def enum(words: list[str]) -> Schema:
    return {"type": "string", "enum": list(words)}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(properties: dict[str, Schema], optional: tuple[str, ...] = ()) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


TEXTS: Schema = {
    "type": "object",
    "description": "A text per language code; empty languages are left out.",
    "additionalProperties": STR,
}


def native_schemas() -> dict[str, Schema]:
    help_scope = ref("Scope")
    return {
        "Error": obj(
            {"error": obj({"code": enum(ERROR_CODES), "message": STR, "field": STR}, ("field",))}
        ),
        "Texts": TEXTS,
        "Qualifier": obj({"code": enum(QUALIFIER_WORDS), "text": ref("Texts"), "date": null(DATE)}),
        "Expected": obj({"kind": enum(EXPECTED_KINDS), "value": null(STR)}),
        "CauseLink": obj(
            {"name": null(STR), "public": BOOL, "state": enum(SYSTEM_WORDS), "since": null(DT)}
        ),
        "Cause": obj(
            {
                "kind": enum([k.value for k in DependencyKind]),
                "chain": {**array(ref("CauseLink")), "minItems": 1},
            }
        ),
        "Counts": {
            "type": "object",
            "propertyNames": enum(LEVEL_WORDS),
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
        "Status": obj(
            {
                "level": enum(LEVEL_WORDS),
                "statuspage": enum(COMPONENT_STATUSES),
                "qualifiers": array(ref("Qualifier")),
                "since": null(DT),
                "expected": null(ref("Expected")),
                "derived": BOOL,
                "pinned": BOOL,
                "counts": ref("Counts"),
                "causes": array(ref("Cause")),
                "explanation": STR,
            }
        ),
        "Channel": obj({"id": STR, "kind": enum(Channel.KINDS), "name": ref("Texts")}),
        "Item": obj(
            {"channel": null(ref("Channel")), "status": ref("Status"), "note": ref("Texts")}
        ),
        "Function": obj(
            {"id": STR, "name": ref("Texts"), "implicit": BOOL, "channels": array(ref("Item"))}
        ),
        "Scope": obj({"function": null(STR), "channel": null(STR)}),
        "Alternative": obj(
            {
                "kind": enum(Alternative.KINDS),
                "text": ref("Texts"),
                "channel": null(ref("Channel")),
                "url": null(STR),
                "phone": null(STR),
                "email": null(STR),
                "hours": ref("Texts"),
                "scope": help_scope,
            }
        ),
        "Instruction": obj(
            {"kind": enum(Instruction.KINDS), "text": ref("Texts"), "scope": help_scope}
        ),
        "Measure": obj({"kind": enum(Measure.KINDS), "text": ref("Texts"), "scope": help_scope}),
        "Service": obj(
            {
                "id": STR,
                "name": ref("Texts"),
                "description": ref("Texts"),
                "url": null(STR),
                "keywords": array(STR),
                "audience": array(STR),
                "domain": STR,
                "status": ref("Status"),
                "functions": array(ref("Function")),
                "alternatives": array(ref("Alternative")),
                "instructions": array(ref("Instruction")),
                "measures": array(ref("Measure")),
                "links": obj({"self": URL, "html": URL, "history": URL, "availability": URL}),
            }
        ),
        "Domain": obj(
            {
                "id": STR,
                "name": ref("Texts"),
                "position": {"type": "integer", "minimum": 1},
                "status": ref("Status"),
                "services": array(STR),
                "links": obj({"self": URL, "availability": URL}),
            }
        ),
        "OrganisationEntry": obj(
            {
                "id": STR,
                "name": ref("Texts"),
                "language": enum(list(LANGUAGES)),
                "links": ref("OrganisationLinks"),
            }
        ),
        "OrganisationLinks": obj({"self": URL, "html": URL, "statuspage": URL}),
        "Organisation": obj(
            {
                "id": STR,
                "name": ref("Texts"),
                "language": enum(list(LANGUAGES)),
                "time_zone": STR,
                "url": null(STR),
                "revision": {"type": "integer", "minimum": 0},
                "as_of": null(DT),
                "status": ref("Status"),
                "services_by_level": ref("Counts"),
                "domains": array(STR),
                "alternatives": array(ref("Alternative")),
                "instructions": array(ref("Instruction")),
                "measures": array(ref("Measure")),
                "links": obj(
                    {
                        "self": URL,
                        "html": URL,
                        "statuspage": URL,
                        "domains": URL,
                        "services": URL,
                        "incidents": URL,
                        "maintenances": URL,
                        "recovery": URL,
                    }
                ),
            }
        ),
        "SystemName": obj({"name": ref("Texts")}),
        "IncidentUpdate": obj(
            {"phase": enum(PHASES), "body": ref("Texts"), "published_at": DT, "updated_at": DT}
        ),
        "RecoveryTarget": obj(
            {
                "text": ref("Texts"),
                "target": null(DATE),
                "reached_at": null(DT),
                "service": null(STR),
            }
        ),
        "Incident": obj(
            {
                "id": STR,
                "title": ref("Texts"),
                "phase": enum(PHASES),
                "impact": enum(IMPACTS),
                "started_at": DT,
                "resolved_at": null(DT),
                "published_at": DT,
                "updated_at": DT,
                "sections": obj(
                    {
                        "known": ref("Texts"),
                        "unknown": ref("Texts"),
                        "to_do": ref("Texts"),
                        "data_protection": ref("Texts"),
                    }
                ),
                "affected_services": array(STR),
                "affected_systems": array(ref("SystemName")),
                "updates": array(ref("IncidentUpdate")),
                "targets": array(ref("RecoveryTarget")),
                "links": obj({"self": URL}),
            }
        ),
        "Maintenance": obj(
            {
                "id": STR,
                "title": ref("Texts"),
                "description": ref("Texts"),
                "state": enum(MAINTENANCE_STATES),
                "cancelled_at": null(DT),
                "scheduled_for": DT,
                "scheduled_until": DT,
                "published_at": DT,
                "updated_at": DT,
                "affected_services": array(STR),
                "affected_systems": array(ref("SystemName")),
                "links": obj({"self": URL}),
            }
        ),
        "PastStatus": obj(
            {
                "level": enum(LEVEL_WORDS),
                "qualifiers": array(ref("Qualifier")),
                "since": null(DT),
                "expected": null(ref("Expected")),
                "derived": BOOL,
                "pinned": BOOL,
                "counts": ref("Counts"),
            }
        ),
        "HistoryEvent": obj(
            {
                "id": INT,
                "at": DT,
                "subject": enum(["service", "item"]),
                "function": null(STR),
                "channel": null(STR),
                "before": null(ref("PastStatus")),
                "after": null(ref("PastStatus")),
            }
        ),
        "Pagination": obj(
            {
                "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                "next_cursor": null(STR),
                "next": null(URL),
            }
        ),
        "Index": obj({"version": STR, "links": obj({"openapi": URL, "organisations": URL})}),
        **{
            f"{name}List": obj({"data": array(ref(name)), "pagination": ref("Pagination")})
            for name in (
                "OrganisationEntry",
                "Domain",
                "Service",
                "HistoryEvent",
                "Incident",
                "Maintenance",
            )
        },
    }


def statuspage_schemas() -> dict[str, Schema]:
    incident_fields: dict[str, Schema] = {
        "id": STR,
        "name": STR,
        "status": enum(PHASES),
        "created_at": DT,
        "updated_at": DT,
        "monitoring_at": null(DT),
        "resolved_at": null(DT),
        "impact": enum(IMPACTS),
        "shortlink": URL,
        "started_at": DT,
        "page_id": STR,
        "incident_updates": array(ref("SpIncidentUpdate")),
        "components": array(ref("SpComponent")),
    }
    page = ref("SpPage")
    return {
        "SpPage": obj({"id": STR, "name": STR, "url": URL, "time_zone": STR, "updated_at": DT}),
        "SpStatus": obj({"indicator": enum(list(sp.INDICATOR_DESCRIPTIONS)), "description": STR}),
        "SpComponent": obj(
            {
                "id": STR,
                "name": STR,
                "status": enum(COMPONENT_STATUSES),
                "created_at": DT,
                "updated_at": DT,
                "position": {"type": "integer", "minimum": 1},
                "description": null(STR),
                "showcase": BOOL,
                "start_date": null(DATE),
                "group_id": null(STR),
                "page_id": STR,
                "group": BOOL,
                "only_show_if_degraded": BOOL,
                "components": array(STR),
            },
            optional=("components",),
        ),
        "SpAffectedComponent": obj(
            {
                "code": STR,
                "name": STR,
                "old_status": enum(COMPONENT_STATUSES),
                "new_status": enum(COMPONENT_STATUSES),
            }
        ),
        "SpIncidentUpdate": obj(
            {
                "id": STR,
                "status": enum([*PHASES, *MAINTENANCE_STATES]),
                "body": STR,
                "incident_id": STR,
                "created_at": DT,
                "updated_at": DT,
                "display_at": DT,
                "affected_components": null(array(ref("SpAffectedComponent"))),
                "deliver_notifications": BOOL,
                "custom_tweet": null(STR),
                "tweet_id": null(STR),
            }
        ),
        "SpIncident": obj(incident_fields),
        "SpScheduledMaintenance": obj(
            {
                **incident_fields,
                "status": enum(MAINTENANCE_STATES),
                "impact": enum([*IMPACTS, "maintenance"]),
                "scheduled_for": DT,
                "scheduled_until": DT,
            }
        ),
        "SpSummary": obj(
            {
                "page": page,
                "status": ref("SpStatus"),
                "components": array(ref("SpComponent")),
                "incidents": array(ref("SpIncident")),
                "scheduled_maintenances": array(ref("SpScheduledMaintenance")),
            }
        ),
        "SpStatusResponse": obj({"page": page, "status": ref("SpStatus")}),
        "SpComponents": obj({"page": page, "components": array(ref("SpComponent"))}),
        "SpIncidents": obj({"page": page, "incidents": array(ref("SpIncident"))}),
        "SpScheduledMaintenances": obj(
            {"page": page, "scheduled_maintenances": array(ref("SpScheduledMaintenance"))}
        ),
    }


PARAMETERS: dict[str, Schema] = {
    "organisation": path_parameter("organisation", "The organisation's id.", "antwerpen"),
    "service": path_parameter("service", "The service's id.", "e-formulieren"),
    "domain": path_parameter("domain", "The domain's id.", "loketten"),
    "incident": path_parameter("incident", "The incident's id.", "cyberaanval"),
    "maintenance": path_parameter("maintenance", "The maintenance window's id.", "netwerkwerken"),
    "limit": {
        "name": "limit",
        "in": "query",
        "description": f"How many entries per page (default {DEFAULT_LIMIT}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    },
    "cursor": {
        "name": "cursor",
        "in": "query",
        "description": "Where the next page starts: `next_cursor` of the previous page.",
        "schema": {"type": "string", "pattern": CURSOR_PATTERN},
    },
    "lang": {
        "name": "lang",
        "in": "query",
        "description": "Language of generated words (`explanation`); the "
        "organisation's own language when left out.",
        "schema": enum(list(LANGUAGES)),
    },
    "level": {
        "name": "level",
        "in": "query",
        "description": "Only services at this level.",
        "schema": enum(LEVEL_WORDS),
    },
    "domainFilter": {
        "name": "domain",
        "in": "query",
        "description": "Only services of this domain.",
        "schema": SLUG,
    },
}


def _error(description: str) -> Schema:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }


ERRORS = {
    "400": _error("A parameter is unknown, repeated or has a value we cannot use."),
    "404": _error("Nothing of that id (or no published one)."),
    "406": _error("The client does not accept JSON."),
    "414": _error(f"The query string is longer than {MAX_QUERY_STRING} characters."),
}


def operation(
    op_id: str, summary: str, schema: str, params: list[str], tag: str = "native"
) -> Schema:
    responses: dict[str, Schema] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": ref(schema)}}},
    }
    for code in ("400", "404", "406", "414") if tag == "native" else ("404", "414"):
        responses[code] = ERRORS[code]
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "tags": [tag],
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in params],
            "responses": responses,
        }
    }


ORG = "/api/v1/organisations/{organisation}"
PAGED = ["limit", "cursor"]


def native_paths() -> dict[str, Schema]:
    o = ["organisation"]
    return {
        "/api/v1/": operation("index", "Where to start.", "Index", []),
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "tags": ["native"],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": ERRORS["400"],
                    "406": ERRORS["406"],
                    "414": ERRORS["414"],
                },
            }
        },
        "/api/v1/organisations": operation(
            "organisations", "Every organisation.", "OrganisationEntryList", PAGED
        ),
        ORG: operation(
            "organisation",
            "An organisation: its overall status, domains and organisation-wide help.",
            "Organisation",
            [*o, "lang"],
        ),
        f"{ORG}/domains": operation(
            "domains", "The domains, in order.", "DomainList", [*o, *PAGED, "lang"]
        ),
        f"{ORG}/domains/{{domain}}": operation(
            "domain", "One domain.", "Domain", [*o, "domain", "lang"]
        ),
        f"{ORG}/domains/{{domain}}/availability": operation(
            "domainAvailability",
            "The domain's last 90 days: each day's level and seconds per level.",
            "Availability",
            [*o, "domain"],
        ),
        f"{ORG}/services": operation(
            "services",
            "The services in full, in catalogue order.",
            "ServiceList",
            [*o, *PAGED, "lang", "domainFilter", "level"],
        ),
        f"{ORG}/services/{{service}}": operation(
            "service",
            "One service: functions x channels, statuses with causes, help.",
            "Service",
            [*o, "service", "lang"],
        ),
        f"{ORG}/services/{{service}}/history": operation(
            "history",
            "The service's status changes, newest first.",
            "HistoryEventList",
            [*o, "service", *PAGED],
        ),
        f"{ORG}/services/{{service}}/availability": operation(
            "serviceAvailability",
            "The service's last 90 days: each day's level and seconds per level.",
            "Availability",
            [*o, "service"],
        ),
        f"{ORG}/recovery": operation(
            "recovery",
            "Recovery progress since the incident: how many services work again, "
            "over time and per domain.",
            "Recovery",
            o,
        ),
        f"{ORG}/incidents": operation(
            "incidents", "Published incidents, latest first.", "IncidentList", [*o, *PAGED]
        ),
        f"{ORG}/incidents/{{incident}}": operation(
            "incident", "One published incident.", "Incident", [*o, "incident"]
        ),
        f"{ORG}/maintenances": operation(
            "maintenances",
            "Published maintenance windows, latest first.",
            "MaintenanceList",
            [*o, *PAGED],
        ),
        f"{ORG}/maintenances/{{maintenance}}": operation(
            "maintenance", "One published maintenance window.", "Maintenance", [*o, "maintenance"]
        ),
    }


STATUSPAGE_ENDPOINTS = [
    ("summary.json", "spSummary", "Everything at once.", "SpSummary"),
    ("status.json", "spStatus", "The page indicator.", "SpStatusResponse"),
    ("components.json", "spComponents", "Domains (groups) and services.", "SpComponents"),
    ("incidents.json", "spIncidents", "The 50 latest incidents.", "SpIncidents"),
    ("incidents/unresolved.json", "spUnresolved", "Unresolved incidents.", "SpIncidents"),
    (
        "scheduled-maintenances.json",
        "spMaintenances",
        "The 50 latest maintenance windows.",
        "SpScheduledMaintenances",
    ),
    (
        "scheduled-maintenances/upcoming.json",
        "spUpcoming",
        "Scheduled maintenance.",
        "SpScheduledMaintenances",
    ),
    (
        "scheduled-maintenances/active.json",
        "spActive",
        "Maintenance in progress or verifying.",
        "SpScheduledMaintenances",
    ),
]


def statuspage_paths() -> dict[str, Schema]:
    return {
        f"/{{organisation}}/api/v2/{name}": operation(
            op_id, summary, schema, ["organisation"], tag="statuspage"
        )
        for name, op_id, summary, schema in STATUSPAGE_ENDPOINTS
    }


DESCRIPTION = """\
What works and what doesn't: the public status of an organisation's services
during an IT outage. Reads are public: no authentication, CORS open for
GET. Writes (tag `writes`) need an API token of the organisation with a role
that allows them, sent as `Authorization: Bearer`; they take JSON bodies.
Every error has the shape `{"error": {"code", "message", "field"?}}`.
Lists are paged with `limit` and an opaque `cursor`. Responses carry an ETag
and Last-Modified from the catalogue revision and answer conditional requests
with 304. The `statuspage` operations speak Atlassian Statuspage's public v2
dialect. See docs/api.md."""


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "watwerkt",
            "version": "1",
            "description": DESCRIPTION,
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "native", "description": "watwerkt's own read API."},
            {"name": "statuspage", "description": "Atlassian Statuspage's public v2 API."},
            {"name": "writes", "description": "Changes, with an API token."},
        ],
        "paths": {**native_paths(), **write_paths(), **statuspage_paths()},
        "components": {
            "schemas": {
                **native_schemas(),
                **history_schemas(),
                **write_schemas(),
                **statuspage_schemas(),
            },
            "parameters": {**PARAMETERS, **WRITE_PARAMETERS},
            "securitySchemes": SECURITY_SCHEMES,
        },
    }


def as_text() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """``--write`` writes docs/openapi.json; ``--check`` says whether it is current."""
    if argv == ["--write"]:
        DOCS_FILE.write_text(as_text(), encoding="utf-8")
        return 0
    if argv == ["--check"]:
        current = DOCS_FILE.exists() and DOCS_FILE.read_text(encoding="utf-8") == as_text()
        print("docs/openapi.json is current" if current else "docs/openapi.json is out of date")
        return 0 if current else 1
    sys.stdout.write(as_text())
    return 0
