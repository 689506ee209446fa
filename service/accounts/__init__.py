"""User accounts, API tokens and web sessions: one set of rules for the CLI and the web admin.

Every change is audited with who acted (passed explicitly), for whom and why; changes that alter
what a person may do end that person's web sessions, and deactivation or a role change also
their tokens.
"""

from service.accounts.errors import (
    AccountConflict,
    AccountError,
    AccountNotFound,
    InvalidAccountInput,
)
from service.accounts.second_factor import accept_code, enrol_second_factor
from service.accounts.sessions import (
    end_session,
    end_user_sessions,
    resolve_session,
    start_session,
)
from service.accounts.tokens import (
    collect_token,
    create_token_for_collection,
    issue_operator_token,
    issue_token,
    revoke_token,
    revoke_user_tokens,
    token_status,
)
from service.accounts.users import (
    change_own_password,
    change_role,
    create_user,
    deactivate,
    find_user,
    reactivate,
    reset_password,
    reset_second_factor,
    unlock,
)

__all__ = [
    "AccountConflict",
    "AccountError",
    "AccountNotFound",
    "InvalidAccountInput",
    "accept_code",
    "change_own_password",
    "change_role",
    "collect_token",
    "create_token_for_collection",
    "create_user",
    "deactivate",
    "end_session",
    "end_user_sessions",
    "enrol_second_factor",
    "find_user",
    "issue_operator_token",
    "issue_token",
    "reactivate",
    "reset_password",
    "reset_second_factor",
    "resolve_session",
    "revoke_token",
    "revoke_user_tokens",
    "start_session",
    "token_status",
    "unlock",
]
