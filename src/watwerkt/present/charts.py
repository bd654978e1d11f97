"""Availability bars and recovery curves as inline SVG, each with its text alternative.

Written out in Python rather than in a template: the history page of a large
city has 5,000 bars, and a template loop costs more than the whole page may
(see ``bench/history.py``). The markup follows the public site's rules: no
``style`` attribute and no script (the strict CSP forbids both), colours from
classes in ``static/public/site.css``, and everything a bar or a curve shows
also said in words: the SVG's ``<title>`` sums it up, and a list or a table
behind a ``<details>`` gives every day. Colour never carries meaning alone.

Bars use ``viewBox`` units: each day is :data:`UNIT` wide (a column of
``UNIT - 1`` and a gap), :data:`HEIGHT` high; the SVG stretches to the width
of the page, so it fits a phone and 200% zoom alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from html import escape as _escape
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from watwerkt.history.bars import RUNS, Bar, Window
from watwerkt.history.days import ABSENT, CODES, INDEX, LEVEL_OF, LEVELS, MIXED, Seconds
from watwerkt.status.explain import level_label

from .words import day_format, moment_format

UNIT = 4  # viewBox units per day: a column of 3, a gap of 1
HEIGHT = 100  # viewBox units of a whole day; a day at several levels is split in whole units
STACK_CODES = tuple(CODES[level] for level in LEVELS)
SHARE_LEVELS: tuple[str | None, ...] = (*LEVELS, None)  # None: did not exist


_SPECIAL = re.compile(r"[&<>\"']")


def escape(text: str) -> str:
    """HTML-escape ``text``; one search first, as most texts need nothing."""
    return _escape(text, quote=True) if _SPECIAL.search(text) else text


class Words:
    """The words of history pages in the active language and time zone, remembered:
    a page with thousands of bars says the same few dates and levels again and again."""

    def __init__(self) -> None:
        self._memo: dict[tuple[Any, ...], str] = {}

    def remember(self, key: tuple[Any, ...], say: Callable[[], str]) -> str:
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = say()
        return found

    def level(self, level: str | None) -> str:
        if level is None:
            return self.remember(("absent",), lambda: _("geen gegevens"))
        return self.remember(("level", level), lambda: level_label(level))

    def day(self, day: date) -> str:
        return self.remember(("day", day), lambda: formats.date_format(day, day_format()))

    def moment(self, moment: datetime) -> str:
        local = timezone.localtime(moment).replace(second=0, microsecond=0)
        return self.remember(("moment", local), lambda: formats.date_format(local, moment_format()))

    def clock(self, moment: datetime) -> str:
        local = timezone.localtime(moment)
        return self.remember(("clock", local.hour, local.minute), lambda: f"{local:%H:%M}")

    def duration(self, seconds: int) -> str:
        """ "14 u 10 min", to the nearest minute."""
        minutes = (seconds + 30) // 60
        return self.remember(("duration", minutes), lambda: _duration(minutes))

    def percent(self, level: str | None, share: int) -> str:
        if share == 0:  # some of the time, less than 1%: not nothing
            return self.remember(
                ("under 1%", level),
                lambda: _("%(level)s minder dan 1%%") % {"level": self.level(level)},
            )
        return self.remember(
            ("percent", level, share),
            lambda: _("%(level)s %(percent)d%%") % {"level": self.level(level), "percent": share},
        )


def _duration(minutes: int) -> str:
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)d u %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d u") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


def shares(spent: Sequence[int], absent: int) -> list[tuple[str | None, int]]:
    """Whole percentages of the window per level (and absent), adding up to 100
    (largest remainders get the rounding), largest first. Levels never reached
    are left out; one reached for less than 1% of the time keeps a share of 0."""
    values = [*spent, absent]
    total = sum(values) or 1
    whole = [100 * v // total for v in values]
    rest = 100 - sum(whole)
    if rest:
        by_remainder = sorted(range(6), key=lambda i: 100 * values[i] % total, reverse=True)
        for i in by_remainder[:rest]:
            whole[i] += 1
    found = [(SHARE_LEVELS[i], whole[i]) for i in range(6) if values[i]]
    found.sort(key=lambda pair: pair[1], reverse=True)
    return found


def gaps(days: int) -> str:
    """The white lines between days, drawn over the columns: one dashed line
    (dashes set in the CSS) instead of one rectangle per day."""
    return f'<path class="gap" d="M0 {HEIGHT // 2}H{days * UNIT - 1}"/>'


class BarWriter:
    """Writes bars over one window: the SVG, the figures in words, every day in a list.

    One pass over each bar's stretches of days; what many bars share (the SVG's
    frame, a stretch of whole days, a date, a duration, a level's name) is made
    once and remembered, because a page can have 5,000 bars.
    """

    def __init__(self, shown: Window, words: Words) -> None:
        self.shown, self.words = shown, words
        self.prefix = shown.prefix
        self.lengths = shown.lengths
        self.last = len(shown) - 1
        width = len(shown) * UNIT - 1
        self.head = (
            f'<div class="history-bar"><svg class="bar" viewBox="0 0 {width} {HEIGHT}" '
            f'preserveAspectRatio="none" width="100%" height="40" role="img" '
            f'focusable="false"><title>'
        )
        self.frame = f'</title><rect class="track" width="{width}" height="{HEIGHT}"/>'
        span = _("%(days)d dagen tot %(until)s") % {
            "days": len(shown),
            "until": words.moment(shown.until),
        }
        self.span = escape(span)
        self.tail = f'{gaps(len(shown))}</svg><p class="bar-figures" aria-hidden="true">'
        per_day = _("Per dag")  # outside the f-string, where makemessages finds it
        self.per_day = f'<details class="bar-days"><summary>{escape(per_day)}'
        self.until = escape(_("%(days)s (tot %(time)s)"))
        # Escaped level names by index (LEVELS order), and the absent "level" last.
        self.labels = [escape(words.level(level)) for level in (*LEVELS, None)]
        self._whole: dict[tuple[str, int, int], tuple[str, int]] = {}
        self._items: dict[tuple[str, int, int], str] = {}
        self._when: dict[tuple[int, int], str] = {}
        self._durations: dict[int, str] = {}

    def html(self, bar: Bar, name: str, days: bool = True) -> str:
        """A bar with its words: the figures over the window, and (``days``) every
        day on request. Without ``days``, the page must link to where they are."""
        items: list[str] = []
        if days or bar.closed is None:
            drawing, spent = self.draw(bar.codes, bar.mixed, items if days else None)
        else:
            # The stored days look the same all day: drawn once, then only today.
            if bar.closed.drawn is None:
                bar.closed.drawn = self.draw(bar.closed.codes, bar.closed.mixed, None)
            closed, spent = bar.closed.drawn[0], list(bar.closed.drawn[1])
            drawing = closed + self.today(bar, spent)
        figures = self.figures(spent)
        name = escape(name)
        out = [
            f"{self.head}{name}, {self.span}: {figures}{self.frame}{drawing}"
            f"{self.tail}{figures}</p>"
        ]
        if days:
            out.append(
                f'{self.per_day}<span class="visually-hidden"> ({name})</span></summary>'
                f"<ul>{''.join(items)}</ul></details>"
            )
        out.append("</div>")
        return "".join(out)

    def draw(
        self, codes: str, mixed: Mapping[int, Seconds], items: list[str] | None
    ) -> tuple[str, list[int]]:
        """The rectangles of ``codes`` (from the window's first day on), the seconds
        spent per level, and (into ``items``) the list items of the days."""
        spent = [0, 0, 0, 0, 0]
        rects: list[str] = []
        prefix, whole = self.prefix, self._whole
        for match in RUNS.finditer(codes):
            start, end = match.span()
            code = codes[start]
            if code == MIXED:
                seconds = mixed[start]
                for level in range(5):
                    spent[level] += seconds[level]
                self.stack(rects, start, seconds)
                if items is not None:
                    items.append(self.mixed_item(start, seconds))
                continue
            key = (code, start, end)
            found = whole.get(key) or self.whole(key)
            if found[1] >= 0:
                spent[found[1]] += prefix[end] - prefix[start]
                rects.append(found[0])
            if items is not None:
                items.append(self._items.get(key) or self.item(key))
        return "".join(rects), spent

    def today(self, bar: Bar, spent: list[int]) -> str:
        """Today, the window's last day: its rectangles, its seconds added to ``spent``."""
        code, last = bar.codes[self.last], self.last
        if code == MIXED:
            seconds = bar.mixed[last]
            for level in range(5):
                spent[level] += seconds[level]
            rects: list[str] = []
            self.stack(rects, last, seconds)
            return "".join(rects)
        if code == ABSENT:
            return ""
        rect, level = self._whole.get((code, last, last + 1)) or self.whole((code, last, last + 1))
        spent[level] += self.lengths[last]
        return rect

    def figures(self, spent: list[int]) -> str:
        """ "werkt 70%, werkt niet 30%": the whole window in words, escaped."""
        absent = self.prefix[-1] - sum(spent)
        words = self.words
        return escape(
            ", ".join(words.percent(level, share) for level, share in shares(spent, absent))
        )

    def whole(self, key: tuple[str, int, int]) -> tuple[str, int]:
        """The rectangle of a stretch of whole days, and its level's index (-1: absent)."""
        code, start, end = key
        level = LEVEL_OF.get(code)
        rect = (
            f'<rect class="{code}" x="{start * UNIT}" width="{(end - start) * UNIT - 1}" '
            f'height="{HEIGHT}"/>'
        )
        found = self._whole[key] = (rect, INDEX[level]) if level else ("", -1)
        return found

    def item(self, key: tuple[str, int, int]) -> str:
        code, start, end = key
        level = LEVEL_OF.get(code)
        found = self._items[key] = (
            f"<li>{self.when(start, end)}: {self.labels[INDEX[level] if level else 5]}</li>"
        )
        return found

    def stack(self, out: list[str], index: int, seconds: Seconds) -> None:
        """One day at several levels: a column stacked from the bottom, best level lowest."""
        length = self.lengths[index] or 1
        x = index * UNIT
        bottom = HEIGHT
        for level in range(5):
            height = HEIGHT * seconds[level] // length
            if height:
                bottom -= height
                out.append(
                    f'<rect class="{STACK_CODES[level]}" x="{x}" y="{bottom}" '
                    f'width="{UNIT - 1}" height="{height}"/>'
                )

    def mixed_item(self, index: int, seconds: Seconds) -> str:
        """ "3 januari 2023: werkt niet 14 u 10 min, werkt 9 u 50 min"."""
        spent = [(s, level) for level, s in enumerate(seconds) if s]
        absent = self.lengths[index] - sum(seconds)
        if absent:
            spent.append((absent, 5))
        spent.sort(reverse=True)
        said = ", ".join(f"{self.labels[level]} {self.duration(s)}" for s, level in spent)
        return f"<li>{self.when(index, index + 1)}: {said}</li>"

    def duration(self, seconds: int) -> str:
        minutes = (seconds + 30) // 60
        found = self._durations.get(minutes)
        if found is None:
            found = self._durations[minutes] = escape(_duration(minutes))
        return found

    def when(self, start: int, end: int) -> str:
        """The days ``start`` .. ``end - 1`` of the window, marked up as times."""
        key = (start, end)
        found = self._when.get(key)
        if found is None:
            found = _days(self.shown, start, end - 1, self.words)
            if end - 1 == self.last:
                found = self.until % {"days": found, "time": self.words.clock(self.shown.until)}
            self._when[key] = found
        return found


def bar_html(shown: Window, bar: Bar, name: str, words: Words, days: bool = True) -> str:
    """One bar; :class:`BarWriter` writes many over the same window faster."""
    return BarWriter(shown, words).html(bar, name, days)


def _days(shown: Window, first: int, last: int, words: Words) -> str:
    start = shown.days[first]
    text = f'<time datetime="{start.isoformat()}">{escape(words.day(start))}</time>'
    if last == first:
        return text
    end = shown.days[last]
    return f'{text} \N{EN DASH} <time datetime="{end.isoformat()}">{escape(words.day(end))}</time>'


def legend_html(words: Words) -> str:
    """What each colour means, in words next to a sample of it."""
    items = [
        f'<li><svg class="swatch" viewBox="0 0 1 1" aria-hidden="true" focusable="false">'
        f'<rect class="{cls}" width="1" height="1"/></svg> {escape(words.level(level))}</li>'
        for level, cls in [
            *((level, CODES[level]) for level in LEVELS),
            (None, "track"),
        ]
    ]
    title = _("Wat de kleuren betekenen")
    return f'<ul class="legend" aria-label="{escape(title)}">{"".join(items)}</ul>'


# -- recovery curves -----------------------------------------------------------------------

CURVE_WIDTH = 1000
CURVE_HEIGHT = 300


def curve_svg(
    points: Sequence[tuple[datetime, int]],
    start: datetime,
    until: datetime,
    top: int,
    title: str,
    small: bool = False,
) -> str:
    """A step line of how many work, from ``start`` to ``until``, scaled to ``top``.

    ``points`` say from which moment on how many work (the first one at
    ``start``). The line keeps its thickness however the SVG is stretched.
    Changes closer together than one unit of the drawing's width (a thousandth
    of the time shown) are drawn as one vertical stroke over their range: a
    busy recovery has tens of thousands of them, and nobody sees more.
    """
    span = (until - start).total_seconds() or 1.0
    scale = CURVE_HEIGHT / top if top else 0.0
    line = [f"M0 {CURVE_HEIGHT - (points[0][1] if points else 0) * scale:.1f}"]
    column, seen = -1, list[int]()  # the unit of width being drawn, and the counts in it
    for moment, count in points[1:]:
        unit = min(CURVE_WIDTH, max(0, int((moment - start).total_seconds() / span * CURVE_WIDTH)))
        if unit != column:
            _column(line, column, seen, scale)
            column, seen = unit, []
        seen.append(count)
    _column(line, column, seen, scale)
    line.append(f"H{CURVE_WIDTH}")
    path = "".join(line)
    grid = "".join(f"M0 {CURVE_HEIGHT * q / 4:.0f}H{CURVE_WIDTH}" for q in (1, 2, 3))
    size = "curve small" if small else "curve"
    return (
        f'<svg class="{size}" viewBox="0 0 {CURVE_WIDTH} {CURVE_HEIGHT}" '
        f'preserveAspectRatio="none" width="100%" height="{80 if small else 200}" '
        f'role="img" focusable="false"><title>{escape(title)}</title>'
        f'<rect class="frame" width="{CURVE_WIDTH}" height="{CURVE_HEIGHT}"/>'
        f'<path class="grid" d="{grid}" vector-effect="non-scaling-stroke"/>'
        f'<path class="area" d="{path}V{CURVE_HEIGHT}H0Z"/>'
        f'<path class="line" d="{path}" vector-effect="non-scaling-stroke"/></svg>'
    )


def _column(line: list[str], column: int, counts: list[int], scale: float) -> None:
    """Move right to ``column``, then over the range of counts reached there, ending
    at the last."""
    if not counts:
        return
    line.append(f"H{column}")
    previous = None
    for count in (min(counts), max(counts), counts[-1]) if len(counts) > 1 else counts:
        if count != previous:
            line.append(f"V{CURVE_HEIGHT - count * scale:.1f}")
            previous = count


def curve_days_html(
    name: str,
    affected: int,
    days: Sequence[tuple[date, int]],
    words: Words,
    daily_from: date | None = None,
) -> str:
    """A curve's text alternative: how many worked at the end of each day listed;
    with ``daily_from``, the days before it are only the last of each month."""
    label = escape(_("Per dag: %(name)s") % {"name": name})
    head = escape(
        _("Werken (van %(affected)d) aan het eind van de dag; vandaag: nu") % {"affected": affected}
    )
    rows = "".join(
        f'<tr><th scope="row"><time datetime="{day.isoformat()}">{escape(words.day(day))}</time>'
        f"</th><td>{count}</td></tr>"
        for day, count in days
    )
    per_day, day_word = _("Per dag"), _("Dag")  # outside the f-string, for makemessages
    note = ""
    if daily_from is not None:
        said = _("Vóór %(day)s staat alleen de laatste dag van elke maand hier.") % {
            "day": words.day(daily_from)
        }
        note = f'<p class="since">{escape(said)}</p>'
    return (
        f'<details class="curve-days"><summary>{escape(per_day)}'
        f'<span class="visually-hidden"> ({escape(name)})</span></summary>{note}'
        f'<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">'
        f'<table class="days"><thead><tr><th scope="col">{escape(day_word)}</th>'
        f'<th scope="col">{head}</th></tr></thead><tbody>{rows}</tbody></table></div></details>'
    )


def count_words(count: int, total: int) -> str:
    """ "12 van de 40 getroffen diensten werken weer"."""
    return ngettext(
        "%(count)d van de %(total)d getroffen dienst werkt weer",
        "%(count)d van de %(total)d getroffen diensten werken weer",
        total,
    ) % {"count": count, "total": total}
