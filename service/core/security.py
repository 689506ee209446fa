"""Keyed pseudonyms, token hashing and password hashing: the only places secrets are used."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

#: Argon2id with the RFC 9106 low-memory parameters (64 MiB, three passes): argon2-cffi's default.
PASSWORD_PARAMETERS: Parameters = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(PASSWORD_PARAMETERS)
TOKEN_PREFIX = "qm_"  # noqa: S105 - a visible prefix, not a secret


def pseudonym(client_number: str, *, key: str) -> str:
    """HMAC-SHA256 of the office's client number; without the key it cannot be reversed."""
    normalised = client_number.strip().upper().encode()
    return hmac.new(key.encode(), normalised, hashlib.sha256).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        _hasher.hash(password)  # same cost whether or not the user exists
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
