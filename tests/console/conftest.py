"""The named personas (tests/personas.py), cheap password hashing and plain static files."""

from tests.personas import fast_passwords, people  # noqa: F401 - fixtures
