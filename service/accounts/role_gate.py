"""One role gate for views, shared by the web pages and the JSON API.

Each side says how it refuses (redirect to sign-in or 401, then 403); the gate wraps the view and
records the allowed roles on it as ``required_roles``, which the API reads before the request body
is parsed (service.core.extensions) and the access tests read for every endpoint.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from models.enums import Role

P = ParamSpec("P")
R = TypeVar("R")

# Called with the allowed roles before the view: raises, or returns a response to send instead of
# the view's, or None to let the view run.
Refusal = Callable[[frozenset[Role]], Any]


def role_gate(
    roles: tuple[Role, ...], refuse: Refusal
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A decorator that runs ``refuse`` first and the view only when it lets the caller pass."""
    allowed = frozenset(roles)

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            refusal = refuse(allowed)
            if refusal is not None:
                return cast(R, refusal)
            return view(*args, **kwargs)

        wrapper.required_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator
