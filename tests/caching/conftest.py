"""The public fixtures (a catalogue with help texts, static files, a fresh read model)."""

from __future__ import annotations

from tests.public.conftest import fresh_snapshots, helped, plain_static_files

__all__ = ["fresh_snapshots", "helped", "plain_static_files"]
