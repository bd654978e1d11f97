"""Whatever a file holds, checking it ends in a catalogue or in a list of errors."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.authoring.helpers import FILES, check
from watwerkt.authoring.errors import CatalogueInvalid, Path
from watwerkt.authoring.validation import read_document

VALID, _ = read_document((FILES / "valid.yaml").read_bytes(), "valid.yaml")


def _paths(node: Any, path: Path = ()) -> list[Path]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_paths(value, (*path, i)))
    return found


PATHS = _paths(VALID.data)[1:]
WORDS = [
    "werkt",
    "down",
    "2023-02-30",
    "2023-13",
    "none",
    "x/y",
    "stad/reservatie",
    "loket",
    "",
    "é",
    "started_before",
    "-",
    "reservatie",
    "provider/dms",
    "2999-01-01",
]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(WORDS), st.text(max_size=5)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "name", "level", "code", "system", "x"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)


def assert_checked(source: Any) -> None:
    """Checking ends in a catalogue or in errors that say something; nothing else."""
    errors = []
    try:
        check(source)
    except CatalogueInvalid as invalid:
        errors = invalid.errors
        if not errors:
            raise
    assert all(error.message for error in errors)


def _replace(data: Any, path: Path, value: Any) -> Any:
    changed = copy.deepcopy(data)
    node = changed
    for part in path[:-1]:
        node = node[part]
    if value == "<delete>":
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return changed


@settings(max_examples=300, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(PATHS), st.one_of(values, st.just("<delete>"))),
        min_size=1,
        max_size=3,
    )
)
def test_any_edit_of_a_valid_catalogue_gives_a_catalogue_or_errors(
    edits: list[tuple[Path, Any]],
) -> None:
    data = VALID.data
    for path, value in edits:
        try:
            data = _replace(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed or replaced this place
    assert_checked(data)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab:- {}[]#'\"\n\t!&*|>%@`,?", max_size=40))
def test_any_text_gives_a_catalogue_or_errors(source: str) -> None:
    assert_checked(source)
