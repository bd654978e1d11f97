"""The catalogues are complete, current and compiled; the check finds what is not."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from watwerkt.locale import catalogues

LANGUAGES = ("nl", "fr", "en", "de")


@pytest.fixture(scope="module")
def template() -> polib.POFile:
    """Every string of the public apps, as makemessages extracts it now."""
    if shutil.which("xgettext") is None:
        pytest.fail("the catalogue check needs GNU gettext: apt-get install gettext")
    return catalogues.extract()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The catalogues, to break without touching the real ones."""
    shutil.copytree(catalogues.LOCALE_DIR, tmp_path / "locale", ignore=_python)
    return tmp_path / "locale"


def _python(directory: str, names: list[str]) -> list[str]:
    return [n for n in names if n.endswith(".py") or n == "__pycache__"]


def test_every_catalogue_is_complete_current_and_compiled(template: polib.POFile) -> None:
    assert catalogues.problems(template=template) == []
    assert len(template) > 200  # the extraction found the public apps' strings


def test_every_language_has_its_catalogue_and_its_compiled_form() -> None:
    for language in LANGUAGES:
        po = catalogues.po_path(language)
        assert po.exists()
        assert po.with_suffix(".mo").exists()


def test_the_check_finds_untranslated_fuzzy_and_placeholder_errors(
    template: polib.POFile, copy: Path
) -> None:
    path = catalogues.po_path("de", copy)
    po = polib.pofile(str(path))
    entries = {e.msgid: e for e in po}
    entries["Zoeken"].msgstr = ""
    entries["Waarom?"].flags.append("fuzzy")
    entries["Zoeken bij %(name)s"].msgstr = "Suchen"
    po.save()
    po.save_as_mofile(str(path.with_suffix(".mo")))
    found = catalogues.problems(copy, template)
    assert "de: untranslated 'Zoeken'" in found
    assert "de: fuzzy 'Waarom?'" in found
    assert "de: 'Zoeken bij %(name)s': the translation drops ['name']" in found
    assert len(found) == 3


def test_the_check_finds_a_compiled_catalogue_older_than_its_source(
    template: polib.POFile, copy: Path
) -> None:
    path = catalogues.po_path("fr", copy)
    po = polib.pofile(str(path))
    (entry,) = [e for e in po if e.msgid == "Zoeken"]
    entry.msgstr = "Rechercher"
    po.save()  # but not compiled
    assert catalogues.problems(copy, template) == [
        "fr: django.mo is out of date: run python -m watwerkt.locale --compile"
    ]
    catalogues.compile_all(copy)
    assert catalogues.problems(copy, template) == []


def test_the_check_finds_strings_missing_from_a_catalogue_and_strings_no_longer_used(
    template: polib.POFile, copy: Path
) -> None:
    path = catalogues.po_path("en", copy)
    po = polib.pofile(str(path))
    (entry,) = [e for e in po if e.msgid == "Zoeken"]
    po.remove(entry)
    po.append(polib.POEntry(msgid="Een oude zin", msgstr="An old sentence"))
    po.save()
    po.save_as_mofile(str(path.with_suffix(".mo")))
    assert sorted(catalogues.problems(copy, template)) == [
        "en: missing 'Zoeken'",
        "en: no longer used 'Een oude zin'",
    ]


def test_update_adds_new_strings_keeps_translations_and_drops_old_ones() -> None:
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="Zoeken", msgstr="Search"))
    catalogue.append(polib.POEntry(msgid="Weg", msgstr="Gone"))
    template = polib.POFile()
    template.append(polib.POEntry(msgid="Zoeken", msgstr=""))
    template.append(polib.POEntry(msgid="Nieuw", msgstr="", msgctxt="ctx"))
    said = catalogues.merge(catalogue, template, "en")
    assert said == ["en: dropped 'Weg'", "en: added 'Nieuw'"]
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in catalogue] == [
        (None, "Zoeken", "Search"),
        ("ctx", "Nieuw", ""),
    ]
    dutch = polib.POFile()
    catalogues.merge(dutch, template, "nl")
    assert [e.msgstr for e in dutch] == ["Zoeken", "Nieuw"]  # Dutch: the source text


def test_a_gettext_call_inside_an_f_string_is_found(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "words.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "ok = _('Per dag')\n"
        "hidden = f\"<b>{_('Per dag')}</b>\"\n"
    )
    assert catalogues.hidden_strings(tmp_path, ("app",)) == [
        "app/words.py:3: gettext inside an f-string"
    ]
    assert catalogues.hidden_strings() == []


def test_the_command_reports_and_fails_on_an_incomplete_catalogue(
    template: polib.POFile,
    copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from watwerkt.locale.__main__ import main

    path = catalogues.po_path("fr", copy)
    po = polib.pofile(str(path))
    po[0].msgstr = ""
    po.save()
    monkeypatch.setattr(catalogues, "extract", lambda: template)
    assert main(["--check"], copy) == 1
    assert "fr: untranslated" in capsys.readouterr().err
