"""The named personas (tests/personas.py), cheap password hashing and plain static
files; and the Antwerp demo on a live server with the page cache (served.py)."""

from tests.console.served import demo_site  # noqa: F401 - fixture
from tests.personas import fast_passwords, people  # noqa: F401 - fixtures
