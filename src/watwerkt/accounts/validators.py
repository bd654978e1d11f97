"""Password validators whose messages Django's Dutch catalogue does not (yet) translate."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own check; Django 5.2 changed its message and the Dutch one went missing."""

    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort: het moet minstens %(n)d teken lang zijn.",
            "Dit wachtwoord is te kort: het moet minstens %(n)d tekens lang zijn.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Je wachtwoord moet minstens %(n)d teken lang zijn.",
            "Je wachtwoord moet minstens %(n)d tekens lang zijn.",
            self.min_length,
        ) % {"n": self.min_length}
