"""``python -m watwerkt.locale --update | --compile | --check``: see docs/languages.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import catalogues


def main(argv: list[str] | None = None, locale_dir: Path = catalogues.LOCALE_DIR) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m watwerkt.locale",
        description="Keep the public site's gettext catalogues in step with the code.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--update",
        action="store_true",
        help="add new strings to every catalogue, drop removed ones, compile the .mo files",
    )
    what.add_argument("--compile", action="store_true", help="compile every .po into its .mo file")
    what.add_argument(
        "--check",
        action="store_true",
        help="list untranslated, fuzzy, missing or stale entries; exit 1 if there are any",
    )
    args = parser.parse_args(argv)
    import django

    django.setup()
    if args.update:
        for line in catalogues.update(locale_dir):
            print(line)
    if args.compile:
        catalogues.compile_all(locale_dir)
    found = catalogues.problems(locale_dir)
    for problem in found:
        print(problem, file=sys.stderr)
    if args.check or args.update:
        print(f"{len(found)} problem(s)" if found else "every catalogue is complete")
    return 1 if (found and args.check) else 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watwerkt.settings")
    sys.exit(main())
