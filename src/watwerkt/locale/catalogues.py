"""Extract, merge, compile and check the public site's catalogues.

Which strings: those of the apps whose output the public reads —
:data:`SOURCES`. The console and the accounts stay Dutch (their strings go
through gettext too, but are always shown in Dutch), so they are left out:
a new console string must not make the public catalogues incomplete.

Extraction is Django's own ``makemessages`` (xgettext underneath), run on a
copy of :data:`SOURCES` in a temporary directory, so it can neither write
into the real catalogues nor pick up other apps. Merging and compiling are
done here with polib, not with msgmerge: msgmerge marks near matches as
fuzzy guesses, and a guessed translation on a public page is worse than a
missing one, which the check reports.

The Dutch catalogue is complete too (every msgstr the msgid itself, or a
better Dutch wording): the msgids are the Dutch source texts, so Dutch
needs no translation, but a complete ``nl`` catalogue lets Dutch wording
change without changing msgids in four catalogues.
"""

from __future__ import annotations

import ast
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import chdir
from io import StringIO
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

PACKAGE = Path(__file__).resolve().parent.parent  # src/watwerkt
LOCALE_DIR = Path(__file__).resolve().parent
SOURCES = (
    "present",
    "readmodel",
    "public",
    "incidents",
    "history",
    "search",
    "feeds",
    "status",
    "webcache",
)
DOMAIN = "django"

Key = tuple[str, str, str]  # (msgctxt, msgid, msgid_plural)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{ ?(\w+) ?\}\}")
GETTEXT_CALLS = frozenset({"_", "gettext", "pgettext", "ngettext", "npgettext", "gettext_lazy"})


def languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


# -- extraction ------------------------------------------------------------------------


def extract(root: Path = PACKAGE, sources: tuple[str, ...] = SOURCES) -> polib.POFile:
    """Every string of ``sources`` (directories under ``root``) as makemessages finds it."""
    with tempfile.TemporaryDirectory(prefix="watwerkt-messages-") as tmp:
        tree = Path(tmp) / "tree"
        for source in sources:
            shutil.copytree(
                root / source,
                tree / source,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static"),
            )
        (tree / "locale").mkdir()
        with chdir(tree), override_settings(LOCALE_PATHS=[str(tree / "locale")]):
            call_command(
                "makemessages",
                locale=["en"],
                domain=DOMAIN,
                no_obsolete=True,
                no_location=False,
                verbosity=0,
                stdout=StringIO(),
            )
        return polib.pofile(str(po_path("en", tree / "locale")))


def hidden_strings(root: Path = PACKAGE, sources: tuple[str, ...] = SOURCES) -> list[str]:
    """gettext calls inside f-strings, which xgettext does not see (so they would never
    be translated): ``f"{_('Per dag')}"`` must become a variable first."""
    found = []
    for source in sources:
        for path in sorted((root / source).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    for call in ast.walk(node):
                        if (
                            isinstance(call, ast.Call)
                            and isinstance(call.func, ast.Name)
                            and call.func.id in GETTEXT_CALLS
                        ):
                            where = path.relative_to(root)
                            found.append(f"{where}:{call.lineno}: gettext inside an f-string")
    return found


# -- merging and compiling -------------------------------------------------------------------


def merge(catalogue: polib.POFile, template: polib.POFile, language: str) -> list[str]:
    """Make ``catalogue`` hold exactly the entries of ``template``: new ones added
    (untranslated; in Dutch, the msgid itself), removed ones dropped, translations kept."""
    have = {key(e): e for e in catalogue}
    wanted = {key(e) for e in template}
    said = []
    for entry in list(catalogue):
        if key(entry) not in wanted:
            catalogue.remove(entry)
            said.append(f"{language}: dropped {entry.msgid!r}")
    for entry in template:
        found = have.get(key(entry))
        if found is None:
            found = polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgstr="",
                msgstr_plural={0: "", 1: ""} if entry.msgid_plural else {},
            )
            if language == settings.LANGUAGE_CODE:  # Dutch: the source text
                if entry.msgid_plural:
                    found.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    found.msgstr = entry.msgid
            catalogue.append(found)
            said.append(f"{language}: added {entry.msgid!r}")
        found.occurrences = entry.occurrences
        found.flags = [f for f in entry.flags if f != "fuzzy"] + [
            f for f in found.flags if f == "fuzzy"
        ]
    return said


def header(language: str) -> dict[str, str]:
    return {
        "Project-Id-Version": "watwerkt",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n > 1);"
        if language == "fr"
        else "nplurals=2; plural=(n != 1);",
    }


def open_catalogue(language: str, locale_dir: Path = LOCALE_DIR) -> polib.POFile:
    path = po_path(language, locale_dir)
    if path.exists():
        return polib.pofile(str(path), wrapwidth=100)
    catalogue = polib.POFile(wrapwidth=100)
    catalogue.metadata = header(language)
    return catalogue


def save(catalogue: polib.POFile, language: str, locale_dir: Path = LOCALE_DIR) -> None:
    path = po_path(language, locale_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.sort(key=lambda e: (e.occurrences[0] if e.occurrences else ("", ""), key(e)))
    catalogue.save(str(path))
    catalogue.save_as_mofile(str(path.with_suffix(".mo")))


def update(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Bring every catalogue in step with the code, and compile it."""
    template = extract()
    said = []
    for language in languages():
        catalogue = open_catalogue(language, locale_dir)
        said += merge(catalogue, template, language)
        save(catalogue, language, locale_dir)
    return said


def compile_all(locale_dir: Path = LOCALE_DIR) -> None:
    for language in languages():
        catalogue = polib.pofile(str(po_path(language, locale_dir)))
        catalogue.save_as_mofile(str(po_path(language, locale_dir).with_suffix(".mo")))


# -- checking ---------------------------------------------------------------------------------


def problems(locale_dir: Path = LOCALE_DIR, template: polib.POFile | None = None) -> list[str]:
    """Everything that keeps the catalogues from being complete and current; empty when fine."""
    template = template if template is not None else extract()
    wanted = {key(e) for e in template}
    found = hidden_strings()
    for language in languages():
        path = po_path(language, locale_dir)
        if not path.exists():
            found.append(f"{language}: no catalogue at {path}")
            continue
        catalogue = polib.pofile(str(path))
        have = {key(e) for e in catalogue}
        found += [f"{language}: missing {k[1]!r}" for k in sorted(wanted - have)]
        found += [f"{language}: no longer used {k[1]!r}" for k in sorted(have - wanted)]
        found += [f"{language}: {p}" for e in catalogue for p in entry_problems(e)]
        found += [f"{language}: {p}" for p in stale(catalogue, path.with_suffix(".mo"))]
    return found


def entry_problems(entry: polib.POEntry) -> Iterator[str]:
    if entry.obsolete:
        yield f"obsolete {entry.msgid!r}"
        return
    if "fuzzy" in entry.flags:
        yield f"fuzzy {entry.msgid!r}"
    translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    if not all(t.strip() for t in translations):
        yield f"untranslated {entry.msgid!r}"
        return
    names = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
    for translation in translations:
        extra = placeholders(translation) - names
        if extra:
            yield f"{entry.msgid!r}: the translation uses unknown {sorted(extra)}"
    if not entry.msgid_plural and placeholders(entry.msgstr) != placeholders(entry.msgid):
        yield f"{entry.msgid!r}: the translation drops {sorted(names - placeholders(entry.msgstr))}"


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def stale(catalogue: polib.POFile, mo_path: Path) -> list[str]:
    """The .mo must say exactly what the .po says (compared by content, not by
    file times, which a checkout does not keep)."""
    if not mo_path.exists():
        return [f"no compiled catalogue {mo_path.name}: run python -m watwerkt.locale --compile"]
    compiled = {
        (e.msgctxt or "", e.msgid, e.msgid_plural or ""): _strings(e)
        for e in polib.mofile(str(mo_path))
        if e.msgid
    }
    source = {key(e): _strings(e) for e in catalogue.translated_entries() if e.msgid}
    if compiled != source:
        return [f"{mo_path.name} is out of date: run python -m watwerkt.locale --compile"]
    return []


def _strings(entry: polib.POEntry | polib.MOEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)
