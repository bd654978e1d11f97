"""The write operations of the OpenAPI document: bodies, answers, errors, the bearer scheme.

Merged into :func:`watwerkt.api.openapi.document`. Request bodies are
described exactly as :mod:`watwerkt.api.inputs` reads them — closed objects,
the same word lists and limits — so that what the schema allows is what the
API accepts, and what it refuses is refused: the schemathesis run checks
both directions. Values whose meaning a schema cannot check (a ``since`` in
the future, a qualifier that needs a text) are answered 422.
"""

from __future__ import annotations

from typing import Any

from watwerkt.accounts.throttle import FAILURE_LIMIT, FAILURE_WINDOW
from watwerkt.authoring.edits import OWNER_LIMIT, PRIORITY_LIMIT, STEP_LIMIT, STEPS_LIMIT
from watwerkt.engine import LEVEL_WORDS, QUALIFIER_WORDS, SYSTEM_WORDS
from watwerkt.incidents.models import PHASES
from watwerkt.incidents.rules import TEXT_LIMIT
from watwerkt.lib.i18n import LANGUAGES
from watwerkt.status.report import PUBLIC_SUBJECTS

from .body import MAX_BODY, MAX_NOTE, MAX_TEXT
from .inputs import MAX_QUALIFIERS

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
DT: Schema = {"type": "string", "format": "date-time"}
REVISION: Schema = {"type": "integer", "minimum": 0}
# A quoted ETag ("42"), weak or strong, or a list of them, or *: what the API parses.
IF_MATCH_PATTERN = r'^\s*(\*|(W/)?"[!#-~]*"(\s*,\s*(W/)?"[!#-~]*")*)\s*$'
WRITE_ERROR_CODES = [
    "unauthenticated", "forbidden", "conflict", "precondition_failed", "body_too_large",
    "unsupported_media_type", "invalid_json", "unknown_field", "invalid_field",
    "invalid_value", "too_many_requests",
]  # fmt: skip


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def null(schema: Schema) -> Schema:
    if "type" in schema and "$ref" not in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Schema], required: tuple[str, ...] | None = None) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else list(required),
        "additionalProperties": False,
    }


def texts_input(limit: int) -> Schema:
    per_language = {"type": "string", "maxLength": limit}
    return {
        "description": "A text in the organisation's language, or an object with a text "
        "per language code; empty texts are left out.",
        "anyOf": [
            per_language,
            {
                "type": "object",
                "propertyNames": {"enum": list(LANGUAGES)},
                "additionalProperties": per_language,
            },
        ],
    }


def write_schemas() -> dict[str, Schema]:
    since = {
        **null(STR),
        "description": "When it started: ISO 8601 date-time (2022-12-06T09:10+01:00) or date; "
        "without an offset in the organisation's time zone. Default: kept while the "
        "level stays the same, else now. Not in the future.",
    }
    expected = {
        **null(STR),
        "description": "Expected return: a date (2023-03-15), a month (2023-03), days, "
        "weeks, months, or none.",
    }
    note = {
        **null({"type": "string", "maxLength": MAX_NOTE}),
        "description": "Why, for the history and the audit trail; never public.",
    }
    change = obj(
        {
            "subject": {"type": "string", "enum": list(PUBLIC_SUBJECTS)},
            "path": STR,
            "before": null({"type": "string", "enum": LEVEL_WORDS}),
            "after": null({"type": "string", "enum": LEVEL_WORDS}),
        }
    )
    return {
        "TextsInput": texts_input(MAX_TEXT),
        "QualifierInput": {
            "anyOf": [
                {"type": "string", "enum": QUALIFIER_WORDS},
                obj(
                    {
                        "code": {"type": "string", "enum": QUALIFIER_WORDS},
                        "text": null(ref("TextsInput")),
                        "date": null({"type": "string", "format": "date"}),
                    },
                    ("code",),
                ),
            ]
        },
        "StatusInput": obj(
            {
                "level": {"type": "string", "enum": LEVEL_WORDS},
                "qualifiers": null(
                    {"type": "array", "items": ref("QualifierInput"), "maxItems": MAX_QUALIFIERS}
                ),
                "since": since,
                "expected": expected,
                "pinned": {**null(BOOL), "description": "Hold this level whatever systems say."},
                "public_note": null(ref("TextsInput")),
                "note": note,
            },
            ("level",),
        ),
        "SystemStateInput": obj(
            {
                "state": {"type": "string", "enum": SYSTEM_WORDS},
                "since": since,
                "expected": expected,
                "note": {**note, "description": "Why; kept with the system and its event."},
            },
            ("state",),
        ),
        "IncidentUpdateInput": obj(
            {
                "body": {**texts_input(TEXT_LIMIT), "description": "Markdown, per language."},
                "phase": null({"type": "string", "enum": PHASES}),
                "publish": {**null(BOOL), "description": "Publish at once (default: a draft)."},
                "reopen": {**null(BOOL), "description": "Allow a phase that goes back."},
            },
            ("body",),
        ),
        "RecoveryPlanInput": obj(
            {
                "priority": null(
                    {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": PRIORITY_LIMIT,
                        "description": "1 comes back first.",
                    }
                ),
                "owner": null({"type": "string", "maxLength": OWNER_LIMIT}),
                "target": null({"type": "string", "format": "date"}),
                "steps": null(
                    {
                        "type": "array",
                        "maxItems": STEPS_LIMIT,
                        "items": {"type": "string", "maxLength": STEP_LIMIT},
                    }
                ),
            },
            (),
        ),
        "RecoveryPlanWrite": obj(
            {
                "revision": REVISION,
                "changed": BOOL,
                "system": STR,
                "plan": obj(
                    {
                        "priority": null({"type": "integer", "minimum": 1}),
                        "owner": STR,
                        "target": null({"type": "string", "format": "date"}),
                        "steps": {"type": "array", "items": STR},
                    }
                ),
            }
        ),
        "Change": change,
        "ManualStatus": obj(
            {
                "function": STR,
                "channel": null(STR),
                "level": {"type": "string", "enum": LEVEL_WORDS},
                "qualifiers": {"type": "array", "items": ref("Qualifier")},
                "since": null(DT),
                "expected": null(ref("Expected")),
                "pinned": BOOL,
                "public_note": ref("Texts"),
            }
        ),
        "StatusWrite": obj(
            {
                "revision": REVISION,
                "changed": BOOL,
                "items": {"type": "array", "items": ref("ManualStatus"), "minItems": 1},
                "changes": {"type": "array", "items": ref("Change")},
            }
        ),
        "SystemWrite": obj(
            {
                "revision": REVISION,
                "dry_run": BOOL,
                "changed": BOOL,
                "system": obj(
                    {
                        "id": STR,
                        "before": {"type": "string", "enum": SYSTEM_WORDS},
                        "after": {"type": "string", "enum": SYSTEM_WORDS},
                    }
                ),
                "changes": {"type": "array", "items": ref("Change")},
            }
        ),
        "IncidentUpdateWrite": obj(
            {
                "revision": REVISION,
                "update": obj(
                    {
                        "id": {"type": "integer"},
                        "incident": STR,
                        "phase": {"type": "string", "enum": PHASES},
                        "body": ref("Texts"),
                        "created_at": DT,
                        "published_at": null(DT),
                    }
                ),
                "incident": obj(
                    {
                        "id": STR,
                        "phase": {"type": "string", "enum": PHASES},
                        "published": BOOL,
                    }
                ),
            }
        ),
    }


SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 64}


def path_parameter(name: str, description: str, example: str) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": SLUG,
        "example": example,
    }


WRITE_PARAMETERS: dict[str, Schema] = {
    "writeService": path_parameter("service", "The service's id.", "e-formulieren"),
    "function": path_parameter("function", "The function's id; `-` for the implicit one.", "-"),
    "channel": path_parameter(
        "channel", "The channel's id; `-` for the 'any channel' entry.", "e-loket"
    ),
    "system": path_parameter("system", "The system's id.", "reservatieplatform"),
    "dryRun": {
        "name": "dry_run",
        "in": "query",
        "description": "`true`: answer what would change, and change nothing.",
        "schema": {"type": "string", "enum": ["true", "false", "1", "0"]},
    },
    "ifMatch": {
        "name": "If-Match",
        "in": "header",
        "description": 'Only if the catalogue is still at this revision, as a strong ETag ("42"; '
        "a dry run's or a write's ETag, or an organisation's `revision`); else 412.",
        "schema": {"type": "string", "pattern": IF_MATCH_PATTERN},
    },
}

SECURITY_SCHEMES: dict[str, Schema] = {
    "token": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`watwerkt token add`, or the console's API page): "
        "`Authorization: Bearer ww_...`. It acts for one organisation with one role.",
    }
}


def _error(description: str, headers: dict[str, Schema] | None = None) -> Schema:
    found: Schema = {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if headers:
        found["headers"] = headers
    return found


WRITE_ERRORS: dict[str, Schema] = {
    "400": _error("Not JSON, an unknown field, a field missing or of the wrong type, or a "
                  "bad parameter."),
    "401": _error(
        "No API token, or one that is unknown, revoked or expired.",
        {"WWW-Authenticate": {"required": True, "schema": STR}},
    ),
    "403": _error("The token's role does not allow this."),
    "404": _error("No such thing, or an organisation the token does not belong to."),
    "406": _error("The client does not accept JSON."),
    "409": _error("The incident's state does not allow this (a phase going back, say)."),
    "412": _error("If-Match names another revision (the catalogue changed), or is no ETag."),
    "413": _error(f"The body is larger than {MAX_BODY} bytes."),
    "414": _error("The query string is too long."),
    "415": _error("The body is not application/json in UTF-8."),
    "422": _error("A value of the right type that cannot be used (an impossible date, ...)."),
    "429": _error(
        f"More than {FAILURE_LIMIT} invalid tokens from this address in "
        f"{FAILURE_WINDOW // 60} minutes.",
        {"Retry-After": {"required": True, "schema": {"type": "integer"}}},
    ),
}  # fmt: skip


def _operation(
    method: str,
    op_id: str,
    summary: str,
    body: str,
    answer: str,
    params: list[str],
    example: Schema,
    status: str = "200",
) -> Schema:
    success: Schema = {
        "description": "Done (or, for a dry run, what would be done).",
        "content": {"application/json": {"schema": ref(answer)}},
    }
    codes = ["400", "401", "403", "404", "406", "413", "414", "415", "422", "429"]
    if "ifMatch" in params:
        codes.append("412")
        success["headers"] = {
            "ETag": {
                "required": True,
                "description": "The catalogue revision after the write, for If-Match.",
                "schema": STR,
            }
        }
    if body == "IncidentUpdateInput":
        codes.append("409")
    return {
        method: {
            "operationId": op_id,
            "summary": summary,
            "tags": ["writes"],
            "security": [{"token": []}],
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in params],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref(body), "example": example}},
            },
            "responses": {status: success, **{c: WRITE_ERRORS[c] for c in sorted(codes)}},
        }
    }


STATUS_EXAMPLE: Schema = {
    "level": "limited",
    "qualifiers": ["delays", {"code": "except", "text": {"nl": "aanvragen van voor 6 december"}}],
    "expected": "weeks",
    "public_note": {"nl": "Reken op enkele dagen extra."},
    "note": "melding van het contactcenter",
}
ORG = "/api/v1/organisations/{organisation}"
SERVICE = f"{ORG}/services/{{service}}"


def write_paths() -> dict[str, Schema]:
    o, s = ["organisation"], ["organisation", "writeService"]
    set_status = (
        "Set the manual status of {}: the whole status, so the same body twice is one change."
    )
    return {
        f"{SERVICE}/status": _operation(
            "put", "setServiceStatus", set_status.format("every function and channel of a "
            "service"), "StatusInput", "StatusWrite", [*s, "ifMatch"], STATUS_EXAMPLE,
        ),
        f"{SERVICE}/functions/{{function}}/status": _operation(
            "put", "setFunctionStatus", set_status.format("every channel of a function"),
            "StatusInput", "StatusWrite", [*s, "function", "ifMatch"], STATUS_EXAMPLE,
        ),
        f"{SERVICE}/functions/{{function}}/channels/{{channel}}/status": _operation(
            "put", "setItemStatus", set_status.format("one function x channel"),
            "StatusInput", "StatusWrite", [*s, "function", "channel", "ifMatch"],
            STATUS_EXAMPLE,
        ),
        f"{ORG}/systems/{{system}}/state": _operation(
            "put", "setSystemState", "Set a system's own state; with dry_run, only show "
            "every public status that would change.", "SystemStateInput", "SystemWrite",
            [*o, "system", "dryRun", "ifMatch"], {"state": "up", "note": "hersteld"},
        ),
        f"{ORG}/systems/{{system}}/recovery-plan": _operation(
            "put", "setRecoveryPlan", "Set a system's recovery plan: the whole plan.",
            "RecoveryPlanInput", "RecoveryPlanWrite", [*o, "system", "ifMatch"],
            {"priority": 1, "owner": "ICT-crisiscel", "target": "2023-03-31",
             "steps": ["back-up terugzetten", "testen met het contactcenter"]},
        ),
        f"{ORG}/incidents/{{incident}}/updates": _operation(
            "post", "postIncidentUpdate", "Post an update to an incident (published or not), "
            "as a draft or published at once.", "IncidentUpdateInput",
            "IncidentUpdateWrite", [*o, "incident"],
            {"body": {"nl": "We herstellen de systemen.", "en": "We are restoring."},
             "phase": "monitoring", "publish": True}, status="201",
        ),
    }  # fmt: skip
