"""Words as search compares them: folded, split, stop words dropped, stemmed.

Everything here is pure Python and used on both sides, the catalogue's texts
when the index is built and what a person types or says when it is queried,
so both meet in the same form:

- **folded**: case-folded (``ß`` -> ``ss``) and without accents, so "réispas",
  "Reispas" and "reispas" are one word, and so are "Führerschein" and
  "fuhrerschein";
- **split** on anything that is not a letter or a digit, except that a
  hyphenated word is also kept whole ("kids-id" is "kids", "id" and "kidsid");
- **stemmed** with the Snowball stemmer of the text's language, so plurals and
  verb forms meet ("rijbewijzen" and "rijbewijs", "afgehaald" and "afhalen").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

LANGUAGES = ("nl", "fr", "en", "de")
STEMMER_NAMES = {"nl": "dutch", "fr": "french", "en": "english", "de": "german"}

# Letters and digits, optionally joined by hyphens into one group ("kids-id").
_GROUP = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

# Words that carry no meaning for finding a service, in the four languages of
# the site: question words, pronouns, articles, auxiliaries, and the words of
# the question itself ("werkt", "nog", "kan"). "Kan ik mijn rijbewijs afhalen?"
# leaves "rijbewijs afhalen". Deliberately absent: words that are also
# catalogue words ("pas", the French "pas" included; "op" stays in as it is
# never a service by itself; "werken" as in "werken bij de stad").
_STOP_WORDS = """
    aan al alle als ben bij binnen dan dat de deze die dit doe doen door dus een
    en er even graag hebben heb heeft het hier hoe hoeveel hun ik in is je jij
    jou jouw kan kun kunnen kunt lukt maar me meer mij mijn mag mogelijk moet
    moeten momenteel na naar niet nog nou nu of ofwel om onze ook op over te
    tot u uw van vandaag via voor waar waarom wanneer wat we wel welk welke
    werkt werkte wie wij wil willen word wordt worden zal ze zich zijn zo zou
    zouden er iets graag eigenlijk weer meteen krijg krijgen hoelang lang
    a an and are be can could do does for from get how i is it me my of on or
    please the there to was what when where which who why will with working
    works you your
    au aux avec ce ces comment dans des du elle est et il je la le les ma mais
    me mes mon ne nous on ou où pour quand que quel quelle qui sa se son sur ta
    te tes toi ton tu un une vos votre vous
    aber auch bei bin das dem den der des die du ein eine einen er es für geht
    hat ich ihr im ist kann mein meine mich mit noch nicht oder sie sind und
    uns was wie wo wann warum zu zum zur
"""


def fold(text: str) -> str:
    """Case-folded, accents removed: the form every comparison uses."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS.split())


class Token(NamedTuple):
    """One word as typed: its folded form, and the parts of a hyphenated word."""

    word: str  # "kidsid" for "Kids-ID"
    parts: tuple[str, ...]  # ("kids", "id"); () for a plain word


def tokens(text: str) -> Iterator[Token]:
    """The words of ``text``, folded, in order; stop words included."""
    for match in _GROUP.finditer(fold(text)):
        group = match.group()
        if "-" in group:
            parts = tuple(p for p in group.split("-") if p)
            yield Token("".join(parts), parts)
        else:
            yield Token(group, ())


def token_words(token: Token) -> tuple[str, ...]:
    """The words of one token worth looking up, stop words left out: a
    hyphenated word whole and in parts, so both "kids-id" and "kids id" find it."""
    if token.parts:
        return (token.word, *(p for p in token.parts if p not in STOP_WORDS))
    return () if token.word in STOP_WORDS else (token.word,)


def index_words(text: str) -> Iterator[str]:
    """Every word of a text worth looking up (see :func:`token_words`)."""
    for token in tokens(text):
        yield from token_words(token)


class _Stemmers:
    """One Snowball stemmer per language, remembering what it said.

    Stemming a word costs tens of microseconds in pure Python; a catalogue
    repeats the same few thousand words, so catalogue words are kept for as
    long as the process lives (bounded: the memory is dropped when it grows
    past what any real catalogue needs), and query words in a small LRU.
    """

    LIMIT = 200_000

    def __init__(self) -> None:
        self._stemmers = {
            code: snowballstemmer.stemmer(name) for code, name in STEMMER_NAMES.items()
        }
        self._memo: dict[tuple[str, str], str] = {}
        # A Snowball stemmer keeps the word it works on in itself: one thread at a time.
        self._lock = threading.Lock()

    def stem(self, language: str, word: str) -> str:
        key = (language, word)
        found = self._memo.get(key)
        if found is None:
            if not word.isalpha():
                return word
            stemmer = self._stemmers.get(language) or self._stemmers["nl"]
            with self._lock:
                if len(self._memo) > self.LIMIT:
                    self._memo.clear()
                # Folding again: a stemmer may put back a form with an accent.
                found = self._memo[key] = fold(stemmer.stemWord(word))
        return found


stemmers = _Stemmers()


def stem(language: str, word: str) -> str:
    """``word`` (folded) stemmed by the stemmer of ``language``; digits stay as they are."""
    return stemmers.stem(language, word)


@lru_cache(maxsize=4096)
def query_stems(word: str) -> tuple[tuple[str, str], ...]:
    """``word`` stemmed in every language, as (language, stem) pairs.

    A person may type in any of the site's languages whatever page they are
    on, so a query word is compared with the catalogue's words in each.
    Dutch verb forms ending in -t or -d ("aanvraagt", "betaald", "verlengd")
    that the stemmer leaves alone also try the form without that letter.
    """
    if not word.isalpha():
        return tuple((language, word) for language in LANGUAGES)
    found = [(language, stemmers.stem(language, word)) for language in LANGUAGES]
    if len(word) > 4 and word[-1] in "dt":
        found.append(("nl", stemmers.stem("nl", word[:-1])))
    return tuple(dict.fromkeys(found))


def clean(text: str, limit: int) -> str:
    """What a person typed, made safe to keep and show: control characters
    (NUL, escapes, direction overrides) become spaces, runs of white space
    one space, and the result is cut at ``limit`` characters."""
    shown = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text[: limit * 4])
    return " ".join(shown.split())[:limit]
