"""The formulas of reference/math.md against its worked numbers and DESIGN.md's consistent example."""

import math

import pytest

from singleton import stats


@pytest.mark.parametrize(
    ("n", "slack", "lower_02", "lower_05", "upper_02"),
    [
        (10**4, 0.902620, -0.708115, -0.408115, 0.329452),
        (10**6, 0.117893, 0.076612, 0.376612, 0.212452),
        (10**9, 0.005039, 0.189467, 0.489467, 0.199863),
    ],
)
def test_theorem2_worked_numbers(n, slack, lower_02, lower_05, upper_02):
    assert stats.theorem2_slack(n) == pytest.approx(slack, abs=1e-6)
    assert stats.theorem2_lower(0.2, n, 364) == pytest.approx(lower_02, abs=1e-6)
    assert stats.theorem2_lower(0.5, n, 364) == pytest.approx(lower_05, abs=1e-6)
    assert stats.theorem2_upper(0.2, n, 364) == pytest.approx(upper_02, abs=1e-6)


@pytest.mark.parametrize(("n", "half"), [(10**4, 0.094852), (10**6, 0.009485), (10**9, 0.000300)])
def test_lemma1_half_widths(n, half):
    assert stats.lemma1_half_width(n, 0.05) == pytest.approx(half, abs=1e-6)


def test_slack_crosses_one_percent_near_2_3e8():
    assert stats.theorem2_slack(2.2e8) > 0.01 > stats.theorem2_slack(2.4e8)


def test_design_example_is_consistent():
    fingerprint = {1: 50000, 2: 20000, 3: 10000, 10: 5000}
    n, idk = 171000, 1000
    assert sum(k * v for k, v in fingerprint.items()) == n - idk
    sr = stats.singleton_rate(fingerprint[1], n)
    assert sr == pytest.approx(0.292398, abs=1e-6)
    low, high = stats.sr_interval(sr, n)
    assert (low, high) == (pytest.approx(0.26946, abs=1e-5), pytest.approx(0.315335, abs=1e-6))
    assert stats.theorem2_lower(sr, n, 364) == pytest.approx(0.027433, abs=1e-6)
    assert stats.theorem2_upper(sr, n, 364) == pytest.approx(0.323034, abs=1e-6)
    assert stats.good_turing_once_mass(fingerprint, n) == pytest.approx(0.233918, abs=1e-6)
    assert stats.coverage(fingerprint, n) == pytest.approx(0.707602, abs=1e-6)
    assert stats.chao1(fingerprint) == pytest.approx(147495.6, abs=0.1)
    assert stats.hash_collisions_expected(85000) == pytest.approx(1.96e-10, rel=1e-2)


def test_sr_interval_is_clamped():
    assert stats.sr_interval(0.01, 100) [0] == 0.0
    assert stats.sr_interval(0.99, 100)[1] == 1.0


def test_collisions_at_scale():
    assert stats.hash_collisions_expected(10**9) == pytest.approx(0.027, abs=0.001)
    assert stats.hash_collisions_expected(10**10) == pytest.approx(2.71, abs=0.01)


def test_chao1_interval_brackets_estimate():
    fingerprint = {1: 40, 2: 10, 3: 5}
    low, high = stats.chao1_interval(fingerprint)
    assert sum(fingerprint.values()) < low < stats.chao1(fingerprint) < high
    assert stats.chao1_interval({2: 3, 5: 1}) == (4.0, 4.0)


def test_n_for_nonvacuous_is_where_the_bound_turns_positive():
    n = stats.n_for_nonvacuous(0.2, 364)
    assert n is not None
    assert stats.theorem2_lower(0.2, n, 364) > 0
    assert stats.theorem2_lower(0.2, math.floor(n * 0.9), 364) <= 0.002  # close to the crossing
    assert stats.n_for_nonvacuous(0.004, 364) is None
