"""Words people use for the same thing, across services: the built-in synonym list.

A service's own ``keywords`` in the catalogue say what *that* service is also
called ("parkeerkaart" on the parking permit). This list adds the common
municipal words that mean the same thing wherever they occur: a person who
says "paspoort" means "reispas", "vuilnis" means "afval", "boeken" means
"reserveren". A query word is looked up here (as typed, and by its Dutch
stem, so "paspoorten" counts too) and every other word of its group is
searched as well, a little below the word itself.

To extend it, add a line: a group of words that mean the same, separated by
commas. One word a group at most: a word in two groups would chain them.
Keep it to words that are unambiguous in a municipal context (docs/search.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from .text import stem, tokens

GROUPS = """
paspoort, reispas, passeport, passport, reisepass
identiteitskaart, id-kaart, idkaart, eid, identiteitsbewijs
rijbewijs, fuhrerschein
parkeervergunning, parkeerkaart, bewonerskaart, parkeerabonnement
verblijfskaart, verblijfsvergunning, vreemdelingenkaart
adreswijziging, verhuizen, verhuis, verhuizing, domicilie
huwelijk, trouwen, huwen
overlijden, sterfgeval, overleden, overlijdensaangifte
geboorte, bevalling, geboorteaangifte
afval, vuilnis, huisvuil, vuilniszak
recyclagepark, containerpark, milieupark, afvalpark
grofvuil, sperrmull
bibliotheek, bib, library, bibliotheque
sporthal, sportzaal, turnzaal, gymzaal
kinderopvang, creche, kinderdagverblijf
afhalen, oppikken
aanvragen, aanvraag, bestellen
betalen, betaling, afrekenen, pay, payer
reserveren, reservatie, reservering, book
verlengen, vernieuwen, hernieuwen, renew
melden, melding, signaleren
factuur, rekening, invoice
omgevingsvergunning, bouwvergunning, milieuvergunning
attest, getuigschrift
opladen, herladen, bijladen
ticket, kaartje, toegangskaart
klacht, ombudsdienst, ombudsman, ombudsvrouw
e-mail, email, mail
telefoon, bellen, telefonisch
loket, balie
vacature, job, sollicitatie, solliciteren
"""


def parse(text: str) -> list[tuple[str, ...]]:
    """The groups of ``text``: one a line, words separated by commas.

    Raises ValueError for an entry that is not one word (a phrase would make
    each of its words a synonym) and for a word in two groups (it would
    chain them into one).
    """
    groups: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        words = []
        for entry in filter(None, (e.strip() for e in line.split(","))):
            found = list(tokens(entry))
            if len(found) != 1:
                raise ValueError(f"line {number}: {entry!r} is not one word")
            word = found[0].word
            if seen.get(word, number) != number:
                raise ValueError(f"line {number}: {word!r} is already in line {seen[word]}")
            seen[word] = number
            words.append(word)
        if len(words) > 1:
            groups.append(tuple(dict.fromkeys(words)))
    return groups


class Synonyms:
    """The groups, looked up by folded word and by Dutch stem."""

    def __init__(self, groups: Iterable[tuple[str, ...]]) -> None:
        self._of: dict[str, tuple[str, ...]] = {}
        for group in groups:
            for word in group:
                self._of.setdefault(word, group)
                self._of.setdefault(stem("nl", word), group)

    def of(self, word: str) -> tuple[str, ...]:
        """The words that mean the same as ``word`` (folded), ``word`` left out."""
        group = self._of.get(word) or self._of.get(stem("nl", word)) or ()
        return tuple(w for w in group if w != word)

    def vocabulary(self) -> frozenset[str]:
        """Every word of every group, for correcting typos towards them."""
        return frozenset(w for group in self._of.values() for w in group)


BUILT_IN = Synonyms(parse(GROUPS))
