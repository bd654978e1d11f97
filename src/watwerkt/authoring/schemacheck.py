"""The JSON Schema of the catalogue, and its errors in words people understand.

jsonschema says ``{'xx': 1} is not valid under any of the given schemas``;
we say ``unknown key 'xx' (did you mean ...)``. The schema itself is the one
editors use (shipped in the package), so the file an editor accepts is the
file the import accepts, apart from what a schema cannot check (references,
cycles, dates; see :mod:`watwerkt.authoring.reader`).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from watwerkt.engine import UnknownWordError

from .errors import Collector, Path

SCHEMA_FILE = "schema/catalogue.schema.json"

_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def schema_text() -> str:
    return resources.files("watwerkt.authoring").joinpath(SCHEMA_FILE).read_text("utf-8")


@cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_text())
    return data


@cache
def _validator() -> Draft202012Validator:
    # References resolved once here rather than on every value: this makes
    # checking a catalogue of 5,000 services three times faster.
    full = schema()
    return Draft202012Validator(_inline(full, full["$defs"]))


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/x", ...}`` replaced by a copy of
    ``x`` (keywords next to the reference win). The schema has no recursion."""
    if isinstance(node, list):
        return [_inline(value, defs) for value in node]
    if not isinstance(node, dict):
        return node
    inlined = {k: _inline(v, defs) for k, v in node.items() if k not in ("$ref", "$defs")}
    if "$ref" in node:
        return {**_inline(defs[node["$ref"].removeprefix("#/$defs/")], defs), **inlined}
    return inlined


def check_schema(data: Any, collector: Collector) -> None:
    """Add every schema violation to ``collector``, in words people understand."""
    for error in _drop_shadowed(_validator().iter_errors(data)):
        for path, message, on_key in _explain(error):
            collector.add(path, message, key=on_key)


def _parts(error: ValidationError) -> tuple[Mapping[str, Any], Any, Any]:
    """The failing schema, the value and the keyword's value, as plain types."""
    schema_ = error.schema if isinstance(error.schema, Mapping) else {}
    return schema_, error.instance, error.validator_value


def _explain(error: ValidationError) -> Iterator[tuple[Path, str, bool]]:
    """(path, message, points at the key) for one jsonschema error."""
    path: Path = tuple(error.absolute_path)
    schema_, value, expected = _parts(error)
    if error.validator in ("anyOf", "oneOf"):
        yield from _explain_choice(error, path)
        return
    if error.validator == "additionalProperties":
        allowed = sorted(schema_.get("properties", {}))
        what = "language" if schema_.get("title") == "text" else "key"
        for key in sorted(set(value) - set(allowed)):
            yield (*path, key), _unknown_key(what, key, allowed), True
        return
    if error.validator == "required":
        for key in expected:
            if key not in value:
                yield path, f"missing key {key!r}", False
        return
    yield path, _message(error), False


def _explain_choice(error: ValidationError, path: Path) -> Iterator[tuple[Path, str, bool]]:
    """Explain an anyOf by the alternative whose type fits the value: a text
    given as a mapping is checked as a mapping, not also as a string."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    fitting = [
        errors
        for errors in branches.values()
        if not any(e.validator == "type" and not e.relative_path for e in errors)
    ]
    if fitting:
        for sub in _drop_shadowed(fitting[0]):
            yield from _explain(sub)
        return
    wanted = [
        _type_words(e.validator_value)
        for errors in branches.values()
        for e in errors
        if e.validator == "type" and not e.relative_path
    ]
    schema_, value, _ = _parts(error)
    what = schema_.get("title", "value")
    yield path, f"expected {what} as {' or '.join(wanted)}, got {_kind(value)}", False


def _drop_shadowed(errors: Iterable[ValidationError]) -> list[ValidationError]:
    """A value of the wrong type fails its enum too; saying so twice helps nobody."""
    errors = list(errors)
    typed = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    return [e for e in errors if e.validator == "type" or tuple(e.absolute_path) not in typed]


def _message(error: ValidationError) -> str:
    schema_, value, expected = _parts(error)
    match error.validator:
        case "type":
            return f"expected {_type_words(expected)}, got {_kind(value)}"
        case "enum":
            return str(UnknownWordError(schema_.get("title", "value"), value, list(expected)))
        case "const":
            return f"unsupported value {value!r}; expected {expected!r}"
        case "pattern":
            hint = schema_.get("patternErrorMessage", f"expected {expected}")
            return f"{value!r} is not a valid {schema_.get('title', 'value')}: {hint}"
        case "minLength":
            return "must not be empty" if expected == 1 else error.message
        case "maxLength":
            return f"too long: at most {expected} characters"
        case "minItems":
            return f"must list at least {expected} (or leave the key out)"
        case "minProperties":
            return "must not be empty"
        case "minimum":
            return f"must be at least {expected}"
    return error.message


def _unknown_key(what: str, key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown {what} {key!r}{hint}; expected one of: {', '.join(allowed)}"


def _type_words(types: object) -> str:
    names = types if isinstance(types, list) else [types]
    return " or ".join(_TYPE_WORDS.get(str(n), str(n)) for n in names)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        # The classic YAML trap: `no`, `yes`, `on`, `off` are booleans unquoted.
        return f"{str(value).lower()} (quote it if you meant the word)"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"{value!r}"
