"""Bars and curves: well-formed SVG, the same picture either way it is drawn, said in words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from watwerkt.history.bars import Bar, Closed, Window, figures, totals, window
from watwerkt.history.days import LEVELS
from watwerkt.present.charts import (
    HEIGHT,
    UNIT,
    BarWriter,
    Words,
    bar_html,
    curve_svg,
    legend_html,
    shares,
)

NOW = datetime(2023, 3, 27, 9, 30, tzinfo=UTC)  # the day after clocks went forward
CLASSES = {"a", "l", "u", "m", "x"}


@pytest.fixture(autouse=True)
def dutch_in_brussels() -> Iterator[None]:
    with translation.override("nl"), timezone.override("Europe/Brussels"):
        yield


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG in ``html``, parsed as XML (it must be well-formed)."""
    found = re.findall(r"<svg\b.*?</svg>", html, re.S)
    return [ET.fromstring(m) for m in found]  # noqa: S314 -- our own markup


def columns(svg: ET.Element) -> dict[tuple[int, str], int]:
    """How much of each day's column each colour covers, however the rectangles are cut."""
    covered: dict[tuple[int, str], int] = defaultdict(int)
    for rect in svg.iter("rect"):
        kind = rect.get("class", "")
        if kind not in CLASSES:
            continue
        x, width = int(rect.get("x", "0")), int(rect.get("width", "0"))
        for day in range(x // UNIT, (x + width + 1) // UNIT):
            covered[(day, kind)] += int(rect.get("height", "0"))
    return dict(covered)


def a_bar(shown: Window, codes: str, mixed: dict[int, tuple[int, ...]]) -> Bar:
    last = len(shown) - 1
    closed = Closed(codes[:last], {i: s for i, s in mixed.items() if i < last})
    return Bar(codes, mixed, closed)


@st.composite
def bars(draw: st.DrawFn) -> tuple[Window, Bar]:
    shown = window("Europe/Brussels", NOW, draw(st.integers(2, 12)))
    codes = draw(st.text(alphabet="alumx.*", min_size=len(shown), max_size=len(shown)))
    mixed = {}
    for i, code in enumerate(codes):
        if code == "*":
            cuts = sorted(draw(st.lists(st.integers(0, shown.lengths[i]), min_size=5, max_size=5)))
            mixed[i] = tuple(b - a for a, b in zip([0, *cuts[:-1]], cuts, strict=True))
    return shown, a_bar(shown, codes, mixed)


def test_a_bar_is_well_formed_svg_with_its_figures_in_words() -> None:
    shown = window("Europe/Brussels", NOW, 5)
    length = shown.lengths[3]  # 26 March: 23 hours
    assert length == 23 * 3600
    bar = a_bar(shown, "xxx*a", {3: (length - 3600, 0, 0, 0, 3600)})
    html = bar_html(shown, bar, "Reispas & co", Words())
    (svg,) = svgs(html)
    assert svg.get("role") == "img"
    title = svg.find("title")
    assert title is not None
    assert title.text is not None
    assert title.text.startswith("Reispas & co, 5 dagen tot 27 maart 2023 11:30: ")
    assert title.text.endswith(": werkt niet 69%, werkt 31%")  # 73 and 33.5 of 106.5 hours
    assert "style" not in html
    assert "<script" not in html
    assert columns(svg) == {
        (0, "x"): HEIGHT,
        (1, "x"): HEIGHT,
        (2, "x"): HEIGHT,
        (3, "a"): HEIGHT * (length - 3600) // length,
        (3, "x"): HEIGHT * 3600 // length,
        (4, "a"): HEIGHT,
    }
    days = re.findall(r"<li>(.*?)</li>", html)
    assert [re.sub("<[^>]+>", "", d) for d in days] == [
        "23 maart 2023 \N{EN DASH} 25 maart 2023: werkt niet",
        "26 maart 2023: werkt 22 u, werkt niet 1 u",
        "27 maart 2023 (tot 11:30): werkt",
    ]


@given(bars())
def test_stored_days_drawn_once_look_the_same_as_drawn_whole(found: tuple[Window, Bar]) -> None:
    shown, bar = found
    writer = BarWriter(shown, Words())
    whole = writer.html(bar, "s")
    quick = writer.html(bar, "s", days=False)  # stored days drawn and kept
    again = writer.html(bar, "s", days=False)  # and reused
    (a,), (b,), (c,) = svgs(whole), svgs(quick), svgs(again)
    assert columns(a) == columns(b) == columns(c)
    assert a.findtext("title") == b.findtext("title")
    # The figures over the window, as other outputs (the API) get them, say the same.
    spent, absent = totals(shown, bar)
    days = figures(shown, bar)
    assert list(spent) == [sum(d.seconds[i] for d in days) for i in range(5)]
    assert absent == sum(d.absent for d in days)
    assert f"{a.findtext('title')}".endswith(
        ", ".join(Words().percent(level, share) for level, share in shares(spent, absent))
    )
    for svg in (a, b):
        for rect in svg.iter("rect"):
            assert int(rect.get("x", "0")) + int(rect.get("width", "0")) <= len(shown) * UNIT - 1
            assert 0 <= int(rect.get("y", "0")) <= HEIGHT


@given(st.lists(st.integers(0, 10**6), min_size=6, max_size=6).filter(any))
def test_shares_add_up_to_100_and_leave_out_only_what_never_happened(
    seconds: list[int],
) -> None:
    found = dict(shares(seconds[:5], seconds[5]))
    assert sum(found.values()) == 100
    assert set(found) == {level for level, s in zip([*LEVELS, None], seconds, strict=True) if s}


def test_a_level_held_for_a_moment_is_said_as_less_than_one_percent() -> None:
    shown = window("Europe/Brussels", NOW, 90)
    bar = a_bar(shown, "a" * 89 + "*", {89: (30000, 0, 0, 0, 60)})
    assert "werkt niet minder dan 1%" in bar_html(shown, bar, "s", Words(), days=False)


def test_the_legend_names_every_colour_in_words() -> None:
    html = legend_html(Words())
    assert [re.sub("<[^>]+>", "", item).strip() for item in re.findall("<li>.*?</li>", html)] == [
        "werkt",
        "werkt met beperkingen",
        "onbekend",
        "onderhoud",
        "werkt niet",
        "geen gegevens",
    ]
    assert all(svg.get("aria-hidden") == "true" for svg in svgs(html))


def test_a_curve_steps_from_the_start_to_now_scaled_to_the_affected() -> None:
    start = NOW - timedelta(days=10)
    points = [(start, 0), (start + timedelta(days=5), 2), (start + timedelta(days=7), 4)]
    (svg,) = svgs(curve_svg(points, start, NOW, 4, "Herstel"))
    assert svg.findtext("title") == "Herstel"
    line = next(p for p in svg.iter("path") if p.get("class") == "line")
    assert line.get("d") == "M0 300.0H500V150.0H700V0.0H1000"
    assert line.get("vector-effect") == "non-scaling-stroke"


def test_a_curve_of_many_changes_is_drawn_with_at_most_a_few_strokes_per_unit() -> None:
    start = NOW - timedelta(days=90)
    points = [(start, 0)] + [
        (start + timedelta(minutes=10 * i), (i * 7919) % 1000) for i in range(1, 12000)
    ]
    (svg,) = svgs(curve_svg(points, start, NOW, 1000, "Herstel"))
    line = next(p for p in svg.iter("path") if p.get("class") == "line").get("d", "")
    assert len(re.findall("[HV]", line)) <= 4 * 1000 + 2
    last = points[-1][1]
    assert line.endswith(f"V{300 - last * 0.3:.1f}H1000")
