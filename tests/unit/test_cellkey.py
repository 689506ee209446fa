"""The cell key method: record keys, cell keys and the perturbation table."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from service.stats.cellkey import (
    KEY_MODULUS,
    MAX_DEVIATION,
    VARIANCE,
    Cell,
    CellKeyMethod,
    PerturbationTable,
    default_table,
    record_key,
)

# Cell keys on a fine uniform grid: averages over it are expectations over a random key.
GRID = (np.arange(50_000) + 0.5) / 50_000
COUNTS = range(0, 12)


@cache
def _deviations(n: int) -> np.ndarray:
    table = default_table()
    return np.array([table.deviation(n, float(u)) for u in GRID])


def test_record_key_is_deterministic_and_depends_on_the_secret():
    assert record_key("s" * 32, "profile", "abc") == record_key("s" * 32, "profile", "abc")
    assert record_key("s" * 32, "profile", "abc") != record_key("t" * 32, "profile", "abc")
    assert record_key("s" * 32, "profile", "abc") != record_key("s" * 32, "decision", "abc")
    assert 0 <= record_key("s" * 32, "profile", "abc") < KEY_MODULUS


def test_cell_key_does_not_depend_on_the_order_of_records():
    keys = [record_key("s" * 32, "profile", str(i)) for i in range(50)]

    assert Cell.of(keys).key_sum == Cell.of(reversed(keys)).key_sum
    assert 0 <= Cell.of(keys).cell_key < 1


def test_same_cell_key_and_count_give_the_same_deviation():
    table = default_table()

    for n in COUNTS:
        assert {table.deviation(n, 0.4321) for _ in range(3)} == {table.deviation(n, 0.4321)}


@pytest.mark.parametrize("n", COUNTS)
def test_perturbation_has_mean_zero_over_cell_keys(n):
    assert abs(_deviations(n).mean()) < 1e-4


@pytest.mark.parametrize("n", range(1, 12))
def test_perturbation_has_the_configured_variance(n):
    assert _deviations(n).var() == pytest.approx(VARIANCE, abs=1e-3)


@pytest.mark.parametrize("n", COUNTS)
def test_perturbation_is_bounded_and_never_negative(n):
    deviations = _deviations(n)

    assert np.abs(deviations).max() <= MAX_DEVIATION
    assert (n + deviations).min() >= 0


@pytest.mark.parametrize("n", range(1, 5))
def test_small_counts_are_never_published_as_themselves_with_certainty(n):
    outcomes = set(n + _deviations(n))

    assert len(outcomes) >= 4
    assert any(value < 5 for value in outcomes)


def test_zero_and_one_are_always_withheld():
    method = CellKeyMethod(secret="s" * 32, table=default_table())
    keys = [record_key("s" * 32, "profile", str(i)) for i in range(200)]

    assert method.published(Cell()) is None
    assert all(method.published(Cell.of([k])) is None for k in keys)


def test_possible_true_counts_cover_every_count_that_can_show_a_value():
    table = default_table()

    for n in COUNTS:
        for value in set(n + _deviations(n)[::997]):
            assert n in table.possible_true_counts(int(value))


def test_no_perturbation_without_deviation():
    table = PerturbationTable(max_deviation=0, variance=0)

    assert {table.deviation(n, u) for n in COUNTS for u in (0.0, 0.5, 0.99)} == {0}


def test_variance_must_fit_the_deviation():
    with pytest.raises(ValueError, match="V < D"):
        PerturbationTable(max_deviation=2, variance=2.5)
