"""Secrets: keyed pseudonyms, and passwords hashed with argon2id at production strength."""

from __future__ import annotations

import argon2
from argon2 import PasswordHasher, profiles

from service.core import security


def test_production_passwords_use_argon2id_with_rfc_9106_low_memory_parameters() -> None:
    assert security.PASSWORD_PARAMETERS == profiles.RFC_9106_LOW_MEMORY
    stored = PasswordHasher.from_parameters(security.PASSWORD_PARAMETERS).hash("Kennwort-2026!")
    parameters = argon2.extract_parameters(stored)
    assert parameters.type is argon2.Type.ID
    assert (parameters.time_cost, parameters.memory_cost) == (3, 65536)


def test_a_hash_of_the_production_strength_verifies_under_the_current_hasher() -> None:
    stored = PasswordHasher.from_parameters(security.PASSWORD_PARAMETERS).hash("Kennwort-2026!")
    assert security.verify_password(stored, "Kennwort-2026!")
    assert not security.verify_password(stored, "kennwort-2026!")
    assert not security.verify_password(None, "Kennwort-2026!")


def test_pseudonym_needs_the_key_and_ignores_case_and_spaces() -> None:
    first = security.pseudonym(" ab123c ", key="schluessel-1")
    assert first == security.pseudonym("AB123C", key="schluessel-1")
    assert first != security.pseudonym("AB123C", key="schluessel-2")
    assert "AB123C" not in first
