"""Domain errors of account management; each carries a German message for the person acting.

The CLI turns them into ``click`` errors, the web pages into form errors or flashes, so the
rules live in one place and neither caller needs to know the other's way of failing.
"""

from __future__ import annotations


class AccountError(Exception):
    """A request about an account or token that cannot be carried out as asked."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class InvalidAccountInput(AccountError):
    """The input breaks a rule (name pattern, role and provider, missing reason, ...)."""


class AccountNotFound(AccountError):
    """No such user or token (or not the caller's)."""


class AccountConflict(AccountError):
    """The change contradicts the current state (name taken, acting on oneself, ...)."""
