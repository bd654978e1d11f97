"""Reading YAML with positions, and writing it back so that it reads the same."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watwerkt.authoring import yamlio
from watwerkt.authoring.errors import Mark
from watwerkt.authoring.yamlio import dump_yaml, load_yaml


def test_dates_and_words_stay_as_written() -> None:
    document, problems = load_yaml("since: 2022-12-06\nno: off\nn: 3\nx: ~\n", "t")
    assert problems == []
    assert document.data == {"since": "2022-12-06", "no": False, "n": 3, "x": None}


def test_every_value_and_key_knows_its_line_and_column() -> None:
    document, _ = load_yaml("a:\n  - b: 1\n    c: [x, y]\n", "t")
    assert document.positions.values[("a", 0, "c", 1)] == Mark(3, 12)
    assert document.positions.keys[("a", 0, "c")] == Mark(3, 5)
    assert document.positions.of(("a", 0, "missing")) == Mark(2, 5)


def test_aliases_that_expand_without_end_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_NODES", 1000)
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, previous in zip("bcdef", "abcde", strict=True):
        laughs += f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    document, problems = load_yaml(laughs, "t")
    assert document.data is None
    assert [str(p) for p in problems] == ["t:1:1: more than 1,000 values (aliases expanding?)"]


def test_dates_are_written_without_quotes() -> None:
    assert dump_yaml({"since": "2022-12-06", "at": "2022-12-06T09:10+01:00"}) == (
        "since: 2022-12-06\nat: 2022-12-06T09:10+01:00\n"
    )


tricky = st.one_of(
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "null",
            "~",
            "2023-03",
            "2023-02-30",
            "1.0",
            "0x10",
            "a: b",
            "- x",
            "#",
            "é ü",
            "line\nbreak",
            " padded ",
            "'",
            '"',
            "*a",
        ]
    ),
    st.text(max_size=20),
)


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.one_of(tricky, st.lists(tricky))))
def test_what_is_written_reads_back_the_same(data: dict[str, object]) -> None:
    document, problems = load_yaml(dump_yaml(data), "t")
    assert problems == []
    assert document.data == data
