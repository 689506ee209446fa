"""Domain errors of account management; each carries a German message for the person acting.

They are :mod:`service.core.domain_errors` kinds (invalid, not found, conflict), so the CLI, the web
pages and the API translate them like any other domain error; :class:`AccountError` lets a
caller catch just the account ones.
"""

from __future__ import annotations

from service.core.domain_errors import Conflict, DomainError, Invalid, NotFound


class AccountError(DomainError):
    """A request about an account or token that cannot be carried out as asked."""


class InvalidAccountInput(AccountError, Invalid):
    """The input breaks a rule (name pattern, role and provider, missing reason, ...)."""


class AccountNotFound(AccountError, NotFound):
    """No such user or token (or not the caller's)."""


class AccountConflict(AccountError, Conflict):
    """The change contradicts the current state (name taken, acting on oneself, ...)."""
