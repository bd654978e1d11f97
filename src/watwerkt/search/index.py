"""The search index of one organisation in one language, and how a query is scored.

Pure Python: an :class:`Index` is built from :class:`Document` values (what
search needs of each service: names, keywords, description, functions,
domain, in every language the catalogue has), and answers a query with the
documents it matches, best first, and the function each matched.

How a query word finds catalogue words, best first (the quality multiplies
the weight of the field the word was found in):

=========================  =======  ===================================================
exact word                 1.0      "rijbewijs"
same stem                  0.95     "rijbewijzen", "afgehaald" (Snowball, every language)
synonym                    0.85     "paspoort" -> "reispas" (synonyms.py)
a part of a compound       0.85     "rijbewijsaanvraag" -> "rijbewijs" + "aanvraag"
typo, one edit             0.75     "rijbewjis" (restricted Damerau-Levenshtein)
typo, two edits            0.6      words of eight letters or more
the start of a word        0.6      "reis" -> "reispas"
the end of a compound      0.5      "kaart" -> "parkeerkaart" (Dutch compounds end in their head)
=========================  =======  ===================================================

Field weights make an exact name beat a keyword, a keyword a function, a
function the domain, the domain the description. Each query word counts once
per service (its best match), services matching more of the query come first,
and a query that is exactly a service's name, or one of its keywords, gets a
bonus on top. docs/search.md tells the whole story.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .synonyms import BUILT_IN, Synonyms
from .text import (
    LANGUAGES,
    STOP_WORDS,
    Token,
    index_words,
    query_stems,
    stem,
    token_words,
    tokens,
)

Texts = Mapping[str, str]

# Field weights: see the module docstring.
NAME, KEYWORD, FUNCTION, DOMAIN, DESCRIPTION = 10.0, 6.0, 4.0, 2.0, 1.5
NAME_BONUS, KEYWORD_BONUS = 10.0, 5.0
# Texts in the page's language count fully; the organisation's own language
# nearly so (the catalogue is written in it); any other language less.
ASKED, ORGANISATION, OTHER = 1.0, 0.9, 0.7

EXACT, STEM, SYNONYM, PART = 1.0, 0.95, 0.85, 0.85
ONE_EDIT, TWO_EDITS, PREFIX, HEAD = 0.75, 0.6, 0.6, 0.5

MAX_TERMS = 12  # query words looked at; the rest of a very long query is ignored
MAX_EXPANSION = 64  # catalogue words one query word may stand for via prefix or head
SLOTS = 1 << 10  # functions per service the index tells apart
RELATIVE_CUTOFF = 0.1  # a match scoring under a tenth of the best one is noise


@dataclass(frozen=True, slots=True)
class Document:
    """What search knows of one service. Equal documents give an equal index,
    which is how an index outlives a status change (see services.py)."""

    service_id: int
    slug: str
    name: Texts
    keywords: tuple[str, ...]
    description: Texts
    domain: Texts
    functions: tuple[tuple[int, str, Texts], ...]  # (id, slug, name); "" slug: implicit


@dataclass(frozen=True, slots=True)
class Match:
    document: int  # position in Index.documents
    score: float
    function: int | None  # position in the document's functions, when a function matched


@dataclass
class Term:
    """One query word and the catalogue words it stands for, with their quality."""

    typed: str
    words: dict[str, float] = field(default_factory=dict)
    corrected: str = ""  # the word a typo was read as

    def add(self, words: Iterable[str], quality: float) -> None:
        for word in words:
            if quality > self.words.get(word, 0.0):
                self.words[word] = quality


@dataclass(frozen=True)
class Found:
    matches: tuple[Match, ...]
    terms: tuple[Term, ...]  # the terms that stood for catalogue words
    typed: tuple[str, ...] = ()  # the words looked for (stop words left out)

    @property
    def corrections(self) -> tuple[tuple[str, str], ...]:
        """(typed, read as) for every query word taken for a typo."""
        return tuple((t.typed, t.corrected) for t in self.terms if t.corrected)


Posting = tuple[int, int, float]  # (document, function slot or -1, weight)


class Index:
    """Built once per organisation, language and catalogue text; then only read
    (by any number of threads: queries keep their state in local variables)."""

    def __init__(
        self,
        documents: Sequence[Document],
        language: str,
        home_language: str,
        synonyms: Synonyms = BUILT_IN,
    ) -> None:
        self.documents = tuple(documents)
        self.language = language
        self.synonyms = synonyms
        self._home = home_language if home_language in LANGUAGES else "nl"
        self._weights = {
            code: ASKED if code == language else ORGANISATION if code == self._home else OTHER
            for code in LANGUAGES
        }
        build = _Builder(self._weights)
        self.names: dict[frozenset[str], list[int]] = defaultdict(list)
        self.keywords: dict[frozenset[str], list[int]] = defaultdict(list)
        for position, document in enumerate(self.documents):
            self._add_document(position, document, build)
        # Postings as tuples: a query walks thousands of them, and tuples are
        # the cheapest thing Python can walk.
        self.postings: dict[str, tuple[Posting, ...]] = {
            word: tuple((key // SLOTS, key % SLOTS - 1, weight) for key, weight in found.items())
            for word, found in build.collect.items()
        }
        self.stems = {key: tuple(sorted(words)) for key, words in build.stems.items()}
        letters = sorted(w for w in self.postings if w.isalpha())
        self._sorted = letters
        self._reversed = sorted(w[::-1] for w in letters)
        extra = synonyms.vocabulary()
        self._known = frozenset(
            w
            for w in (*letters, *(s for (_, s) in self.stems), *extra)
            if len(w) >= 3 and w not in STOP_WORDS
        )
        # Typos are read as catalogue words, or as synonyms of them.
        self._typo_targets = sorted({*letters, *extra})

    # -- building ---------------------------------------------------------------------

    def _add_document(self, position: int, document: Document, build: _Builder) -> None:
        base = position * SLOTS
        for code, text in document.name.items():
            self.names[build.key(text, code, NAME, base)].append(position)
        for keyword in (*document.keywords, document.slug):
            self.keywords[build.key(keyword, self._home, KEYWORD, base)].append(position)
        for code, text in document.description.items():
            build.add(text, code, DESCRIPTION, base)
        for code, text in document.domain.items():
            build.add(text, code, DOMAIN, base)
        for slot, (_id, _slug, name) in enumerate(document.functions[: SLOTS - 1]):
            for code, text in name.items():
                build.add(text, code, FUNCTION, base + slot + 1)

    # -- querying ---------------------------------------------------------------------

    def find(self, query: str) -> Found:
        """Every document ``query`` matches well enough, best first."""
        typed = [t for t in tokens(query) if token_words(t)][:MAX_TERMS]
        words = tuple(t.word for t in typed)
        terms = tuple(term for token in typed for term in self._terms(token) if term.words)
        if not terms:
            return Found((), terms, words)
        sums, counts, functions = self._score(terms)
        # Matching more of the query counts: a service matching half the words
        # keeps three quarters of its score.
        scores = {d: s * (0.5 + 0.5 * counts[d] / len(terms)) for d, s in sums.items()}
        # Noise is judged before the bonus: a description that mentions the word
        # stays listed below the service of that name.
        floor = max(scores.values()) * RELATIVE_CUTOFF
        scores = {d: s for d, s in scores.items() if s >= floor}
        self._add_bonus(typed, scores)
        kept = sorted(
            (Match(d, round(s, 4), functions.get(d)) for d, s in scores.items()),
            key=lambda m: (-m.score, m.document),
        )
        return Found(tuple(kept), terms, words)

    def _score(
        self, terms: Sequence[Term]
    ) -> tuple[dict[int, float], dict[int, int], dict[int, int]]:
        """Per document the sum of each term's best match and how many terms
        matched; and the function whose name matched best, per document."""
        sums: dict[int, float] = defaultdict(float)
        counts: dict[int, int] = defaultdict(int)
        slots: dict[int, float] = defaultdict(float)
        postings = self.postings
        for term in terms:
            best: dict[int, float] = {}
            best_service: dict[int, float] = {}  # in the service's own fields
            best_slot: dict[int, float] = {}
            for word, quality in term.words.items():
                for document, slot, weight in postings.get(word, ()):
                    score = quality * weight
                    if score > best.get(document, 0.0):
                        best[document] = score
                    if slot >= 0:
                        key = document * SLOTS + slot
                        if score > best_slot.get(key, 0.0):
                            best_slot[key] = score
                    elif score > best_service.get(document, 0.0):
                        best_service[document] = score
            for document, score in best.items():
                sums[document] += score
                counts[document] += 1
            # A word names a function only when the service's own name or keywords
            # do not say it better: "opladen" in "sorteerpas opladen" is the
            # service's name, and picks no function.
            for key, score in best_slot.items():
                if score >= best_service.get(key // SLOTS, 0.0):
                    slots[key] += score
        functions: dict[int, int] = {}
        top: dict[int, float] = {}
        for key in sorted(slots):  # ties go to the first function
            document, slot = divmod(key, SLOTS)
            if slots[key] > top.get(document, 0.0):
                top[document], functions[document] = slots[key], slot
        return sums, counts, functions

    def _add_bonus(self, typed: Sequence[Token], scores: dict[int, float]) -> None:
        """A query that is a service's whole name, or one of its keywords."""
        words = [w for token in typed for w in token_words(token)]
        named: set[int] = set()
        for code in LANGUAGES:
            named.update(self.names.get(frozenset(stem(code, w) for w in words), ()))
        for document in named & scores.keys():
            scores[document] += NAME_BONUS
        key = frozenset(stem(self._home, w) for w in words)
        for document in set(self.keywords.get(key, ())) & scores.keys():
            scores[document] += KEYWORD_BONUS

    def _terms(self, token: Token) -> list[Term]:
        """The terms one typed word stands for: usually one; a compound's parts."""
        word = token.word
        term = Term(word)
        if self._direct(term, word, 1.0):
            self._partial(term, word)
            return [term]
        if token.parts:
            return [t for part in token.parts if part not in STOP_WORDS for t in self._part(part)]
        if self._typo(term, 1):
            self._partial(term, word)
            return [term]
        parts = self._split(word)
        if parts:
            return [t for part in parts for t in self._part(part)]
        self._typo(term, 2)
        self._partial(term, word)
        return [term]

    def _part(self, word: str) -> list[Term]:
        term = Term(word)
        self._direct(term, word, PART)
        self._partial(term, word)
        return [term]

    def _direct(self, term: Term, word: str, factor: float) -> bool:
        """Add the catalogue words that are ``word``, share its stem, or are its synonyms."""
        before = len(term.words)
        self._same(term, word, factor)
        for synonym in self.synonyms.of(word):
            self._same(term, synonym, SYNONYM * factor)
        return len(term.words) > before

    def _same(self, term: Term, word: str, factor: float) -> None:
        if word in self.postings:
            term.add((word,), EXACT * factor)
        for key in query_stems(word):
            found = self.stems.get(key)
            if found:
                term.add(found, STEM * factor)

    def _partial(self, term: Term, word: str) -> None:
        """Add catalogue words that start with ``word``, or end in it as the head
        of a compound ("kaart" in "parkeerkaart"), at a lower quality."""
        if len(word) < 4 or not word.isalpha():
            return
        for form in dict.fromkeys((word, stem(self._home, word))):
            if len(form) < 4:
                continue
            start = bisect.bisect_left(self._sorted, form)
            longer = islice(self._sorted, start, start + MAX_EXPANSION)
            term.add(_while_prefixed(longer, form), PREFIX)
            backwards = form[::-1]
            start = bisect.bisect_left(self._reversed, backwards)
            ends = islice(self._reversed, start, start + MAX_EXPANSION)
            # The rest must be a word's worth ("kaart" in "akaart" is no compound head:
            # "a-kaart" is indexed as "kaart" already); "attest" does not end in "test".
            heads = (w[::-1] for w in _while_prefixed(ends, backwards) if len(w) - len(form) >= 3)
            term.add(heads, HEAD)

    def _typo(self, term: Term, edits: int) -> bool:
        """Read ``term`` as the nearest catalogue words ``edits`` edits away."""
        word = term.typed
        if not word.isalpha() or len(word) < (4 if edits == 1 else 8):
            return False
        found = process.extract(
            word, self._typo_targets, scorer=OSA.distance, score_cutoff=edits, limit=16
        )
        found = [f for f in found if f[1] == edits]
        if not found:
            return False
        # Prefer the word the catalogue uses most: "rijbewijs" over a rare near miss.
        found.sort(key=lambda f: (-len(self.postings.get(f[0], ())), f[0]))
        quality = ONE_EDIT if edits == 1 else TWO_EDITS
        for candidate, _distance, _ in found[:3]:
            self._direct(term, candidate, quality)
        if term.words:
            term.corrected = found[0][0]
        return bool(term.words)

    def _split(self, word: str, depth: int = 0) -> list[str] | None:
        """``word`` as a compound of known words ("rijbewijsaanvraag"), longest
        first part first; a linking "s" between parts is allowed ("bewonerskaart"),
        and the last part may be a plural or other form of a known word."""
        if len(word) < 6 or len(word) > 40 or not word.isalpha():
            return None
        for cut in range(len(word) - 3, 2, -1):
            left, right = word[:cut], word[cut:]
            if left not in self._known:
                continue
            for rest in (right, right[1:]) if right[0] == "s" else (right,):
                # the head may be inflected: "afvalcontainers" is afval + containers
                if rest in self._known or stem(self._home, rest) in self._known:
                    return [left, rest]
                if depth < 2:
                    more = self._split(rest, depth + 1)
                    if more:
                        return [left, *more]
        return None

    def suggestions(self, query: str, limit: int = 3) -> list[str]:
        """Catalogue words that look like what was typed, for "no results"."""
        scored: dict[str, float] = {}
        for token in tokens(query):
            if token.word in STOP_WORDS or len(token.word) < 3 or not token.word.isalpha():
                continue
            for word, score, _ in process.extract(
                token.word, self._typo_targets, scorer=fuzz.ratio, score_cutoff=60, limit=limit
            ):
                scored[word] = max(score, scored.get(word, 0.0))
        return sorted(scored, key=lambda w: (-scored[w], w))[:limit]


class _Builder:
    """What an index collects while it is built.

    Catalogues repeat their texts thousands of times (every service of a domain
    carries the domain's name, most functions are called "Aanvragen"), so the
    words and stems of each text are worked out once per build.
    """

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.weights = weights
        self.collect: dict[str, dict[int, float]] = defaultdict(dict)  # word -> key -> weight
        self.stems: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._words: dict[tuple[str, str], tuple[str, ...]] = {}
        self._keys: dict[tuple[str, str], frozenset[str]] = {}

    def add(self, text: str, language: str, weight: float, key: int) -> tuple[str, ...]:
        """Index ``text`` for ``key`` (document and function slot) at ``weight``."""
        words = self._words.get((language, text))
        if words is None:
            words = self._words[(language, text)] = tuple(index_words(text))
            for word in words:
                self.stems[(language, stem(language, word))].add(word)
        weight *= self.weights.get(language, OTHER)
        for word in words:
            found = self.collect[word]
            if weight > found.get(key, 0.0):
                found[key] = weight
        return words

    def key(self, text: str, language: str, weight: float, key: int) -> frozenset[str]:
        """:meth:`add`, returning the stems that a query must consist of to be ``text``."""
        words = self.add(text, language, weight, key)
        found = self._keys.get((language, text))
        if found is None:
            found = self._keys[(language, text)] = frozenset(stem(language, w) for w in words)
        return found


def _while_prefixed(words: Iterable[str], prefix: str) -> list[str]:
    found = []
    for word in words:
        if not word.startswith(prefix):
            break
        if word != prefix:
            found.append(word)
    return found
