"""Roles and actions: the vocabulary of who may do what (no Django here)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A person's role in one organisation, from least to most."""

    VIEWER = "viewer"  # contact centre: reads everything of the organisation
    EDITOR = "editor"  # comms, crisis team: changes statuses, posts updates
    ADMIN = "admin"  # also manages people and reads the audit trail

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    @property
    def needs_second_factor(self) -> bool:
        """Whoever can change what the public reads logs in with a second factor."""
        return self is not Role.VIEWER

    @classmethod
    def parse(cls, word: str) -> Role:
        try:
            return cls(word.strip().lower())
        except ValueError:
            known = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown role '{word}'; known: {known}") from None


class Action(StrEnum):
    """What a principal wants to do in an organisation; each needs a least role."""

    VIEW = "view"
    EDIT = "edit"
    ADMIN = "admin"

    @property
    def least_role(self) -> Role:
        return {Action.VIEW: Role.VIEWER, Action.EDIT: Role.EDITOR, Action.ADMIN: Role.ADMIN}[self]


ROLE_CHOICES = [(r.value, r.value) for r in Role]
