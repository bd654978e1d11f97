"""The JSON Schema shipped for editors: valid, strict, and in step with the engine."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.authoring.helpers import FILES
from watwerkt.authoring.schemacheck import schema
from watwerkt.authoring.validation import read_document
from watwerkt.catalogue.models import Alternative, Channel, Instruction, Measure, System
from watwerkt.engine import LEVEL_WORDS, QUALIFIER_WORDS, SYSTEM_WORDS, DependencyKind
from watwerkt.lib.i18n import LANGUAGES


def test_it_is_a_valid_draft_2020_12_schema_with_an_id() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema()["$id"]


@pytest.mark.parametrize(
    ("definition", "words"),
    [
        ("level", LEVEL_WORDS),
        ("systemState", SYSTEM_WORDS),
        ("qualifierCode", QUALIFIER_WORDS),
        ("dependencyKind", [kind.value for kind in DependencyKind]),
        ("channelKind", Channel.KINDS),
        ("systemKind", System.KINDS),
        ("alternativeKind", Alternative.KINDS),
        ("instructionKind", Instruction.KINDS),
        ("measureKind", Measure.KINDS),
        ("language", list(LANGUAGES)),
    ],
)
def test_every_word_list_is_the_one_the_engine_and_models_use(
    definition: str, words: list[str]
) -> None:
    assert schema()["$defs"][definition]["enum"] == list(words)


def _objects(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if "properties" in node:
            found.append((path, node))
        for key, value in node.items():
            found.extend(_objects(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_objects(value, f"{path}/{i}"))
    return found


def test_every_mapping_refuses_unknown_keys() -> None:
    objects = _objects(schema())
    assert len(objects) > 15
    assert [path for path, node in objects if node.get("additionalProperties") is not False] == []


def test_every_definition_explains_itself_to_editors() -> None:
    undescribed = [
        name
        for name, node in schema()["$defs"].items()
        if not (node.get("title") or node.get("description"))
        and name not in ("words", "alternatives", "instructions", "measures")
    ]
    assert undescribed == []


@pytest.mark.parametrize("path", [FILES / "valid.yaml"], ids=["valid.yaml"])
def test_an_editor_using_only_the_schema_accepts_the_valid_catalogue(path: Any) -> None:
    document, problems = read_document(path.read_bytes(), path.name)
    assert problems == []
    assert list(Draft202012Validator(schema()).iter_errors(document.data)) == []
