"""The feeds read the same news as the machine outputs: the API's fixtures."""

from __future__ import annotations

from tests.api.conftest import demo_news, helped, news  # noqa: F401  (fixtures)
