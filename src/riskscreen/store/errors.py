"""Errors the history store raises; the command line maps every one of them to exit code 2."""

from __future__ import annotations

from ..errors import RiskscreenError

__all__ = [
    "CaseNotFoundError",
    "InvalidTransitionError",
    "SchemaOutdatedError",
    "SchemaTooNewError",
    "StoreError",
    "StoreUnreachableError",
]


class StoreError(RiskscreenError):
    """Root of the store's errors: the database cannot be used, or a case change is refused."""


class StoreUnreachableError(StoreError):
    """The database cannot be opened or reached (bad URL, server down, no permission)."""


class SchemaOutdatedError(StoreError):
    """The database's schema is older than this version of riskscreen.

    The message names the command that upgrades it: ``riskscreen db upgrade --db URL``.
    """


class SchemaTooNewError(StoreError):
    """The database was written by a newer riskscreen; this version must not touch it."""


class CaseNotFoundError(StoreError, KeyError):
    """No case has the given id."""

    def __str__(self) -> str:
        # KeyError would quote the message; people read it as a sentence
        return str(self.args[0]) if self.args else "case not found"


class InvalidTransitionError(StoreError):
    """A change a case's status does not allow (closing a closed case, a disposition on an open one)."""
