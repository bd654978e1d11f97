"""The public fixture this folder uses: a catalogue with help texts."""

from __future__ import annotations

from tests.public.conftest import helped

__all__ = ["helped"]
