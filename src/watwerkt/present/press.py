"""The press overview: the whole picture as one text, in the shape newspapers use.

A title, the "as of" time, then per domain "Wat werkt?", "Wat werkt met
beperkingen?" and "Wat werkt niet?", one line per service (or per function
where the functions of a service differ), each with what to do instead.
Markdown, plain text and a standalone HTML document say the same; JSON lists
every function x channel with its level, qualifiers, help and causes.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from watwerkt.readmodel.values import Alternative, Domain, Function, Item, Note, Service, Snapshot
from watwerkt.status.explain import SystemName, explain, explain_cause

from . import overview as present
from .overview import HelpView, Line, Overview
from .words import Localiser, expected_words, level_label, moment, since_words

FORMATS = ("md", "txt", "html", "json")


def render(snapshot: Snapshot, fmt: str, language: str) -> str:
    """The overview of ``snapshot`` as ``fmt`` in ``language`` (content falls back)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    with translation.override(language), timezone.override(snapshot.organisation.time_zone):
        base = reverse("public:overview", kwargs={"org": snapshot.organisation.slug})
        if fmt == "json":
            return json.dumps(as_json(snapshot, base), ensure_ascii=False, indent=2) + "\n"
        overview = present.overview(snapshot, base, press=True)
        renderers: dict[str, Callable[[Overview], str]] = {
            "md": as_markdown,
            "txt": as_text,
            "html": as_html,
        }
        return renderers[fmt](overview)


# -- sentences shared by the text formats --------------------------------------------


def title(overview: Overview) -> str:
    return _("Wat werkt wel en wat niet bij %(name)s?") % {"name": overview.organisation}


def as_of(overview: Overview) -> str:
    return _("Stand van zaken: %(when)s") % {"when": overview.as_of}


def help_text(help: HelpView) -> str:
    """ "Bel de sportdienst (weekdagen 9-12 uur, 03 338 00 00, sport@stad.be)"."""
    extra = [e for e in (help.channel, help.hours, *(link.label for link in help.links)) if e]
    text = f"{help.scope}: {help.text}" if help.scope else help.text
    if not extra:
        return text
    # "Bel ons (03 22 11 333)." rather than "Bel ons. (03 22 11 333)."
    stop = "." if text.endswith(".") else ""
    return f"{text.removesuffix('.')} ({', '.join(extra)}){stop}"


def note_text(help: HelpView) -> str:
    scope = f"{help.scope}: " if help.scope else ""
    return f"{help.kind_label}: {scope}{help.text}"


def sentences(line: Line) -> list[str]:
    """What one line says after the service's name, as sentences, the first in lower case:
    "met vertraging.", "Sinds 6 december 2022.", "Wat kun je doen? Bel ..."."""
    said = []
    if line.qualifiers or line.badge:
        said.append(", ".join(filter(None, (line.badge, *line.qualifiers))))
    if line.parts:
        said.append("; ".join(_part(p) for p in line.parts))
    when = ", ".join(w for w in (line.since, line.expected) if w)
    if when:
        said.append(when)
    if line.alternatives:
        said.append(
            _("Wat kun je doen? %(help)s") % {"help": "; ".join(map(help_text, line.alternatives))}
        )
    said.extend(note_text(n) for n in line.instructions)
    return [_sentence(text if i == 0 else _capital(text)) for i, text in enumerate(said)]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _part(part: present.Part) -> str:
    details = ", ".join((*part.qualifiers, part.expected) if part.expected else part.qualifiers)
    text = f"{part.label}: {part.level_label}"
    return f"{text} ({details})" if details else text


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def line_text(line: Line) -> str:
    """ "Reispas, afhalen: sinds 6 december 2022. Wat kun je doen? ..." """
    said = sentences(line)
    return f"{line.name}: {' '.join(said)}" if said else f"{line.name}."


def general(overview: Overview) -> list[str]:
    return [
        *(note_text(n) for n in overview.instructions),
        *(note_text(n) for n in overview.measures),
        *(_("Wat kun je doen? %(help)s") % {"help": help_text(a)} for a in overview.alternatives),
    ]


# -- Markdown ------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def as_markdown(overview: Overview) -> str:
    out = [f"# {md(title(overview))}", "", f"*{md(as_of(overview))}*", ""]
    extra = general(overview)
    if extra:
        everyone = _("Voor iedereen")
        out += [f"## {md(everyone)}", "", *(f"- {md(t)}" for t in extra), ""]
    for domain in overview.domains:
        out += [f"## {md(domain.name)}", ""]
        for group in domain.groups:
            out += [f"### {md(group.question)}", ""]
            out += [f"- {_md_line(line)}" for line in group.lines]
            out.append("")
    return "\n".join(out)


def _md_line(line: Line) -> str:
    said = " ".join(md(s) for s in sentences(line))
    return f"**{md(line.name)}**" + (f": {said}" if said else ".")


# -- plain text ------------------------------------------------------------------------

WIDTH = 78


def _bullet(text: str, bullet: str = "  • ") -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=bullet,
        subsequent_indent=" " * len(bullet),
        break_on_hyphens=False,
        break_long_words=False,
    )


def as_text(overview: Overview) -> str:
    head = title(overview)
    out = [head, "=" * len(head), "", as_of(overview), ""]
    extra = general(overview)
    if extra:
        out += [_("Voor iedereen").upper(), ""]
        for text in extra:
            out += _bullet(text)
        out.append("")
    for domain in overview.domains:
        out += [domain.name.upper(), ""]
        for group in domain.groups:
            out += [group.question, ""]
            for line in group.lines:
                out += _bullet(line_text(line))
            out.append("")
    return "\n".join(out)


# -- HTML ------------------------------------------------------------------------------


def as_html(overview: Overview) -> str:
    """A standalone document without styles or scripts, for pasting into a CMS."""
    domains = [
        (
            d.name,
            [
                (g.question, [(line.name, " ".join(sentences(line))) for line in g.lines])
                for g in d.groups
            ],
        )
        for d in overview.domains
    ]
    return render_to_string(
        "public/press.html",
        {
            "o": overview,
            "title": title(overview),
            "as_of": as_of(overview),
            "general": general(overview),
            "domains": domains,
        },
    )


# -- JSON ------------------------------------------------------------------------------


def as_json(snapshot: Snapshot, base: str) -> dict[str, Any]:
    """Every function x channel with its status, help and causes, plus the context."""
    loc = present.localiser_of(snapshot)
    org = snapshot.organisation
    systems = present.public_systems(snapshot, loc)
    items = [
        _item_json(domain, service, function, item, loc, systems, base)
        for domain in snapshot.domains
        for service in domain.services
        for function in service.functions
        for item in function.items
    ]
    return {
        "organisation": {
            "id": org.slug,
            "name": loc.text(org.name) or org.slug,
            "language": org.language,
        },
        "language": loc.language,
        "as_of": snapshot.as_of.isoformat() if snapshot.as_of else None,
        "as_of_words": moment(snapshot.as_of),
        "revision": snapshot.revision.number,
        "instructions": [_note_json(n, loc) for n in snapshot.instructions],
        "measures": [_note_json(n, loc) for n in snapshot.measures],
        "alternatives": [_alternative_json(a, loc) for a in snapshot.alternatives],
        "items": items,
    }


def _item_json(
    domain: Domain,
    service: Service,
    function: Function,
    item: Item,
    loc: Localiser,
    systems: Mapping[int, SystemName],
    base: str,
) -> dict[str, Any]:
    status = item.status
    level = item.level
    return {
        "domain": {"id": domain.slug, "name": loc.text(domain.name) or domain.slug},
        "service": {
            "id": service.slug,
            "name": loc.text(service.name) or service.slug,
            "path": f"{base}{service.slug}/",
            "level": service.level,
        },
        "function": {
            "id": function.slug,
            "name": loc.text(function.name) or None,
            "implicit": function.implicit,
        },
        "channel": (
            {
                "id": item.channel.slug,
                "name": loc.text(item.channel.name) or item.channel.slug,
                "kind": item.channel.kind,
            }
            if item.channel
            else None
        ),
        "level": level,
        "level_words": level_label(level),
        "group": present.group_of(level),
        "qualifiers": [
            {
                "code": q.get("code"),
                "text": loc.text(q.get("text")) or None,
                "date": q.get("date") or None,
                "words": loc.qualifier(q),
            }
            for q in status.get("qualifiers") or ()
        ],
        "since": status.get("since"),
        "since_words": since_words(status.get("since"), with_time=True),
        "expected": (
            {**status["expected"], "words": expected_words(status["expected"])}
            if status.get("expected")
            else None
        ),
        "derived": bool(status.get("derived")),
        "pinned": bool(status.get("pinned")),
        "alternatives": [
            _alternative_json(a, loc)
            for a in service.alternatives
            if _applies(a.function_id, a.item_id, function.id, item.id)
        ],
        "instructions": [
            _note_json(n, loc)
            for n in service.instructions
            if _applies(n.function_id, n.item_id, function.id, item.id)
        ],
        "causes": [
            {"chain": _chain(c, systems), "text": explain_cause(c, systems, public=True)}
            for c in status.get("causes") or ()
        ],
        "explanation": explain(status, systems, public=True),
    }


def _applies(function_id: int | None, item_id: int | None, function: int, item: int) -> bool:
    if item_id is not None:
        return item_id == item
    return function_id is None or function_id == function


def _chain(cause: Mapping[str, Any], systems: Mapping[int, SystemName]) -> list[dict[str, Any]]:
    """The path from a dependency down to the system that is bad on its own.

    Systems that are not public appear without a name, as they do in words.
    """
    chain = []
    link: Mapping[str, Any] | None = cause
    while link is not None:
        system = systems.get(link["system"])
        public = bool(system and system.public)
        chain.append(
            {
                "system": system.name if public and system else None,
                "public": public,
                "kind": link["kind"],
                "state": link["state"],
                "since": link.get("since"),
                "own": bool(link.get("own")),
            }
        )
        link = link["via"][0] if link.get("via") and not link.get("own") else None
    return chain


def _alternative_json(alt: Alternative, loc: Localiser) -> dict[str, Any]:
    return {
        "kind": alt.kind,
        "text": loc.text(alt.text),
        "channel": loc.text(alt.channel.name) if alt.channel else None,
        "url": alt.url or None,
        "phone": alt.phone or None,
        "email": alt.email or None,
        "hours": loc.text(alt.hours) or None,
    }


def _note_json(note: Note, loc: Localiser) -> dict[str, Any]:
    return {"kind": note.kind, "text": loc.text(note.text)}
