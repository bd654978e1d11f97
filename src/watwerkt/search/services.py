"""Search as the rest of watwerkt calls it: the public search page, the console's
contact-centre view, and anything else that must find a service from words.

- :func:`search` — the hits for a query: each a service (and the function the
  query named), with its status as the public read model has it, in words;
- :func:`read_out` — the sentence a contact-centre agent reads to a caller;
- :func:`results` — the same for a page: hits, corrections, suggestions.

Indexes are built from the public read model (:mod:`watwerkt.readmodel.snapshot`)
once per organisation and language, and kept in-process. A status change
gives a new snapshot but the same searchable text, so the index is reused:
only a change to names, keywords, descriptions, functions or domains builds
a new one. Statuses are always read from the current snapshot.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from watwerkt.catalogue.models import Organisation
from watwerkt.present import overview as present
from watwerkt.present.foreign import fmt
from watwerkt.present.overview import HelpView, Labels, Line, localiser_of
from watwerkt.present.words import MEASURE_KINDS, Localiser
from watwerkt.readmodel.snapshot import current
from watwerkt.readmodel.values import Function, Item, Service, Snapshot, StatusValue
from watwerkt.status.explain import explain_cause

from .index import Document, Found, Index, Match
from .text import LANGUAGES, clean

MAX_QUERY = 200  # characters; a question fits, a pasted page does not
MAX_LIMIT = 100


class SearchError(ValueError):
    """A search that cannot be made as asked; the message says why."""


class QueryTooLong(SearchError):
    pass


class NoSuchOrganisation(SearchError):
    pass


@dataclass(frozen=True)
class Hit:
    """A service found, in the language asked for, as the public site shows it.

    ``service`` and ``items`` are the read model's own values (stored statuses,
    ``since``, ``expected``, causes); ``line`` says the same in words, by the
    public site's presentation rules; ``function`` is the function the query
    named ("afhalen"), None when it named the service only.
    """

    organisation: str  # slug
    language: str
    service: Service
    function: Function | None
    score: float
    name: str
    function_name: str
    domain: str
    href: str
    line: Line
    items: tuple[Item, ...]  # the function's items, or every item of the service
    reasons: tuple[str, ...]  # why it does not work, as the public may read it
    measures: tuple[HelpView, ...]

    @property
    def level(self) -> str:
        return self.line.level

    @property
    def title(self) -> str:
        """ "Rijbewijs - afhalen" when the query named a function, else "Rijbewijs"."""
        if "/" in self.line.key or self.function is None:
            return self.line.name  # a function's own line is named so already
        return fmt(
            "%(name)s \N{EN DASH} %(function)s", name=self.name, function=self.function_name.lower()
        )

    @property
    def status(self) -> StatusValue:
        """The service's stored status (the function's parts are in ``items``)."""
        return self.service.status


@dataclass(frozen=True)
class Results:
    query: str  # as searched: cleaned and cut to MAX_QUERY
    hits: tuple[Hit, ...]
    total: int  # services matched, before the limit
    searched: bool  # the query had words to look for (not only "kan ik")
    corrections: tuple[tuple[str, str], ...]  # (typed, read as)
    suggestions: tuple[str, ...]  # for no results: words the catalogue knows


# -- the index cache -------------------------------------------------------------------


def documents_of(snapshot: Snapshot) -> tuple[Document, ...]:
    """What search needs of every service, in the overview's order."""
    return tuple(
        Document(
            s.id,
            s.slug,
            s.name,
            s.keywords,
            s.description,
            d.name,
            tuple((f.id, f.slug, f.name) for f in s.functions),
        )
        for d in snapshot.domains
        for s in d.services
    )


@dataclass(frozen=True, slots=True)
class _Entry:
    # The snapshot the entry was checked against, weakly: an index outlives
    # many snapshots, and must not keep an old one (statuses and all) alive.
    snapshot: weakref.ref[Snapshot]
    places: tuple[tuple[int, int], ...]  # per document: (domain, service) position in a snapshot
    documents: tuple[Document, ...]
    index: Index

    def service(self, snapshot: Snapshot, document: int) -> Service:
        domain, position = self.places[document]
        return snapshot.domains[domain].services[position]


class IndexCache:
    """The index per (organisation, language), following the snapshot it was made from."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._building: dict[tuple[str, str], threading.Lock] = {}
        self.builds = 0  # how many indexes were built, for tests and the benchmark

    def get(self, snapshot: Snapshot, language: str) -> _Entry:
        key = (snapshot.organisation.slug, language)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.snapshot() is snapshot:
                self._entries.move_to_end(key)
                return entry
            building = self._building.setdefault(key, threading.Lock())
        with building:  # one build per key at a time; others wait for it
            return self._refresh(key, snapshot, language)

    def _refresh(self, key: tuple[str, str], snapshot: Snapshot, language: str) -> _Entry:
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry.snapshot() is snapshot:
            return entry
        documents = documents_of(snapshot)
        places = tuple(
            (d, position)
            for d, domain in enumerate(snapshot.domains)
            for position in range(len(domain.services))
        )
        if entry is not None and entry.documents == documents:
            index = entry.index  # only statuses changed: the words are the same
        else:
            index = Index(documents, language, snapshot.organisation.language)
            self.builds += 1
        fresh = _Entry(weakref.ref(snapshot), places, documents, index)
        with self._lock:
            self._entries[key] = fresh
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return fresh

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


indexes = IndexCache()


# -- searching ---------------------------------------------------------------------------


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise SearchError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
    return language


def check_query(query: str) -> str:
    """``query`` cleaned for searching and showing; QueryTooLong past MAX_QUERY characters."""
    if len(query) > MAX_QUERY:
        raise QueryTooLong(
            f"the query is {len(query)} characters long; at most {MAX_QUERY} are searched"
        )
    return clean(query, MAX_QUERY)


def results(snapshot: Snapshot, query: str, language: str, limit: int = 10) -> Results:
    """Search ``snapshot`` for ``query``; at most ``limit`` hits, best first."""
    check_language(language)
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must lie between 1 and {MAX_LIMIT}, not {limit}")
    query = check_query(query)
    entry = indexes.get(snapshot, language)
    found = entry.index.find(query) if query else Found((), ())
    with translation.override(language), timezone.override(snapshot.organisation.time_zone):
        base = reverse("public:overview", kwargs={"org": snapshot.organisation.slug})
        loc = localiser_of(snapshot)
        hits = tuple(_hit(snapshot, entry, m, loc, base) for m in found.matches[:limit])
    suggestions = () if hits or not query else tuple(entry.index.suggestions(query))
    return Results(
        query, hits, len(found.matches), bool(found.typed), found.corrections, suggestions
    )


def search(
    organisation: Organisation | str, query: str, language: str = "nl", limit: int = 10
) -> list[Hit]:
    """The services ``query`` finds in ``organisation`` (a model or its slug), best first.

    Raises :class:`SearchError` for an unknown organisation or language, a
    limit out of range or a query longer than :data:`MAX_QUERY`.
    """
    slug = organisation.slug if isinstance(organisation, Organisation) else organisation
    snapshot = current(slug)
    if snapshot is None:
        raise NoSuchOrganisation(f"no organisation {slug!r}")
    return list(results(snapshot, query, language, limit).hits)


def _hit(snapshot: Snapshot, entry: _Entry, match: Match, loc: Localiser, base: str) -> Hit:
    service = entry.service(snapshot, match.document)
    function = service.functions[match.function] if match.function is not None else None
    if function is not None and function.implicit:
        function = None
    labels = Labels(service, loc)
    line = _line(service, function, loc, base)
    items = function.items if function is not None else service.items
    domain = next((d for d in snapshot.domains if d.id == service.domain_id), None)
    return Hit(
        organisation=snapshot.organisation.slug,
        language=loc.language,
        service=service,
        function=function,
        score=match.score,
        name=loc.text(service.name) or service.slug,
        function_name=labels.function(function) if function is not None else "",
        domain=(loc.text(domain.name) or domain.slug) if domain else "",
        href=f"{base}{service.slug}/",
        line=line,
        items=items,
        reasons=_reasons(snapshot, items, loc),
        measures=present.notes_of(service.measures, MEASURE_KINDS, labels),
    )


def _line(service: Service, function: Function | None, loc: Localiser, base: str) -> Line:
    """The function's own line when its status differs from the rest of the
    service (as the press overview splits it), else the service's line."""
    if function is not None:
        key = f"{service.slug}/{function.slug}"
        for line in present.press_lines(service, loc, base):
            if line.key == key:
                return line
    return present.service_line(service, loc, base)


def _reasons(snapshot: Snapshot, items: Sequence[Item], loc: Localiser) -> tuple[str, ...]:
    """Each distinct cause of what does not work, worded for the public."""
    causes = [c for i in items if i.level != "available" for c in i.status.get("causes") or ()]
    if not causes:
        return ()
    systems = present.public_systems(snapshot, loc)
    return tuple(dict.fromkeys(explain_cause(c, systems, public=True) for c in causes))


# -- reading out -------------------------------------------------------------------------


def read_out(hit: Hit) -> str:
    """What a contact-centre agent says: the status, since when, when it is
    expected back, why, what to do instead and what to know, in the hit's language.

    "Rijbewijs - afhalen: werkt met beperkingen, met vertraging. Sinds 6 december
    2022. Verwacht: maart 2023. Wat kun je doen? Afhalen kan in het districtshuis."
    """
    with translation.override(hit.language):
        return " ".join(s for s in _sentences(hit) if s)


def _sentences(hit: Hit) -> list[str]:
    line = hit.line
    status = ", ".join((line.level_label, *line.qualifiers))
    said = [_("%(subject)s: %(status)s.") % {"subject": hit.title, "status": status}]
    if line.parts:
        said.append(_sentence("; ".join(_part(p) for p in line.parts)))
    said += [_sentence(line.since), _sentence(line.expected)]
    if hit.reasons:
        said.append(_sentence(_("Waarom: %(reasons)s") % {"reasons": "; ".join(hit.reasons)}))
    if line.alternatives:
        said.append(_("Wat kun je doen?"))
        said += [_help(h) for h in line.alternatives]
    said += [_sentence(f"{h.kind_label}: {_help(h)}") for h in line.instructions]
    said += [_sentence(f"{h.kind_label}: {_help(h)}") for h in hit.measures]
    return said


def _part(part: present.Part) -> str:
    said = ", ".join((part.level_label, *part.qualifiers))
    return f"{part.label}: {said}" + (f" ({part.expected})" if part.expected else "")


def _help(h: HelpView) -> str:
    """An alternative or a note as one or two sentences, with how to reach it."""
    said = _sentence(f"{h.scope}: {h.text}" if h.scope else h.text)
    details = [d for d in (h.hours, *(link.label for link in h.links)) if d]
    if h.channel and details:
        return f"{said} {h.channel}: {', '.join(details)}."
    if h.channel:
        return f"{said.removesuffix('.')} ({h.channel})."
    return f"{said} {_sentence(', '.join(details))}" if details else said


def _sentence(text: str) -> str:
    """``text`` as a sentence: a capital first, a full stop last (unless it has one)."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."
