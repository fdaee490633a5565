"""The paper's statistics from counts alone (reference/math.md §2–§5): pure functions, no I/O."""

from __future__ import annotations

import math
from collections.abc import Mapping

THEOREM2_CONFIDENCE = 0.99
"""Theorem 2 is stated with probability ≥ 99%: its constants 35 and 13 are the γ = 0.01 ones."""

DEFAULT_GAMMA = 0.05
"""Confidence 1 − γ of the Lemma 1 interval reported around sr."""


def singleton_rate(singletons: int, n: int) -> float:
    """sr = |S| / N, with N every observation of the category, IDK included (Definition 2)."""
    return singletons / n if n else 0.0


def theorem2_slack(n: int) -> float:
    """(35 + 6 ln N) / √N: the finite-sample term of Theorem 2's lower bound at 99%."""
    return (35 + 6 * math.log(n)) / math.sqrt(n)


def theorem2_lower(sr: float, n: int, min_error_space: int, delta: float = 0.0) -> float:
    """err ≥ sr − 2/min|E_c| − (35 + 6 ln N)/√N − δ; may be ≤ 0 (vacuous), callers say so."""
    return sr - 2 / min_error_space - theorem2_slack(n) - delta


def theorem2_upper(sr: float, n: int, max_error_space: int) -> float:
    """What a calibrated learner achieves: err ≤ sr − sr/(max|E_c| + 1) + 13/√N."""
    return sr - sr / (max_error_space + 1) + 13 / math.sqrt(n)


def lemma1_half_width(n: int, gamma: float = DEFAULT_GAMMA) -> float:
    """|MM − sr| ≤ 4.42 √(ln(5/γ)/N) with probability ≥ 1 − γ (the paper's Lemma 1, with IDK)."""
    return 4.42 * math.sqrt(math.log(5 / gamma) / n)


def sr_interval(sr: float, n: int, gamma: float = DEFAULT_GAMMA) -> tuple[float, float]:
    """Lemma 1's interval around sr for the missing mass, clamped to [0, 1]."""
    half = lemma1_half_width(n, gamma)
    return max(0.0, sr - half), min(1.0, sr + half)


def missing_mass_half_width_no_idk(n: int, gamma: float = DEFAULT_GAMMA) -> float:
    """McAllester–Ortiz without IDK: |M − N1/N| ≤ 1/N + 2.42 √(ln(4/γ)/N)."""
    return 1 / n + 2.42 * math.sqrt(math.log(4 / gamma) / n)


def sampling_half_width(n: int, gamma: float = DEFAULT_GAMMA) -> float:
    """Bounded differences (each example moves sr by ≤ 2/N): sr ∈ E[sr] ± √(2 ln(2/γ)/N)."""
    return math.sqrt(2 * math.log(2 / gamma) / n)


def good_turing_once_mass(fingerprint: Mapping[int, int], n: int) -> float:
    """Good–Turing estimate of the mass of facts seen exactly once: 2 φ₂ / N."""
    return 2 * fingerprint.get(2, 0) / n if n else 0.0


def coverage(fingerprint: Mapping[int, int], n: int) -> float:
    """Good–Turing sample coverage 1 − φ₁ / N."""
    return 1 - fingerprint.get(1, 0) / n if n else 0.0


def chao1(fingerprint: Mapping[int, int]) -> float:
    """Bias-corrected Chao1: S_obs + φ₁(φ₁ − 1) / (2(φ₂ + 1)), facts of the category that exist in all."""
    observed = sum(fingerprint.values())
    f1, f2 = fingerprint.get(1, 0), fingerprint.get(2, 0)
    return observed + f1 * (f1 - 1) / (2 * (f2 + 1))


def chao1_interval(fingerprint: Mapping[int, int], z: float = 1.96) -> tuple[float, float]:
    """Chao's (1987) log-normal 95% interval for Chao1; collapses to S_obs when nothing is unseen."""
    observed = sum(fingerprint.values())
    f1, f2 = fingerprint.get(1, 0), fingerprint.get(2, 0)
    unseen = f1 * (f1 - 1) / (2 * (f2 + 1))
    if unseen <= 0:
        return float(observed), float(observed)
    variance = (
        f1 * (f1 - 1) / (2 * (f2 + 1))
        + f1 * (2 * f1 - 1) ** 2 / (4 * (f2 + 1) ** 2)
        + f1**2 * f2 * (f1 - 1) ** 2 / (4 * (f2 + 1) ** 4)
    )
    spread = math.exp(z * math.sqrt(math.log(1 + variance / unseen**2)))
    return observed + unseen / spread, observed + unseen * spread


def hash_collisions_expected(distinct_keys: int, bits: int = 64) -> float:
    """Expected colliding pairs among n random `bits`-bit keys: n² / 2^(bits+1)."""
    return distinct_keys**2 / 2 ** (bits + 1)


def n_for_nonvacuous(sr: float, min_error_space: int, delta: float = 0.0) -> int | None:
    """The smallest N (to 2 significant figures) at which Theorem 2's lower bound becomes positive.

    None when sr ≤ 2/min|E_c| + δ: no corpus size makes it bite.
    """
    margin = sr - 2 / min_error_space - delta
    if margin <= 0:
        return None
    low, high = 1, 10
    while theorem2_slack(high) >= margin:
        low, high = high, high * 10
        if high > 10**30:
            return None
    while high - low > max(1, low // 100):
        middle = (low + high) // 2
        if theorem2_slack(middle) >= margin:
            low = middle
        else:
            high = middle
    digits = len(str(high)) - 2
    if digits <= 0:
        return high
    step = 10**digits
    return -(-high // step) * step  # rounded up, so the bound is positive at the N we print


def category_statistics(
    n: int,
    idk: int,
    fingerprint: Mapping[int, int],
    conflicting_prompts: int,
    error_space: int,
    gamma: float = DEFAULT_GAMMA,
) -> dict[str, object]:
    """Every figure of math.md §2–§5 for one category from its counts: the fields of report.json's `categories.<c>`.

    N = 0 gives no division by zero: sr 0, the uninformative interval [0, 1], no bound (vacuous).
    The upper bound is capped at 1, since it bounds an error rate.
    """
    singletons = fingerprint.get(1, 0)
    distinct = sum(fingerprint.values())
    sr = singleton_rate(singletons, n)
    low, high = sr_interval(sr, n, gamma) if n else (0.0, 1.0)
    lower = theorem2_lower(sr, n, error_space) if n else None
    upper = min(1.0, theorem2_upper(sr, n, error_space)) if n else None
    vacuous = lower is None or lower <= 0
    return {
        "N": n,
        "idk": idk,
        "distinct_prompts": distinct,
        "singletons": singletons,
        "sr": sr,
        "sr_interval": [low, high],
        "gamma": gamma,
        "error_space": error_space,
        "theorem2_confidence": THEOREM2_CONFIDENCE,
        "theorem2_delta": 0.0,
        "theorem2_lower": None if vacuous else lower,
        "theorem2_upper": upper,
        "vacuous": vacuous,
        "n_for_nonvacuous": n_for_nonvacuous(sr, error_space),
        "fingerprint": {str(k): fingerprint[k] for k in sorted(fingerprint)},
        "singleton_share_of_distinct": singletons / distinct if distinct else 0.0,
        "good_turing_once_mass": good_turing_once_mass(fingerprint, n),
        "coverage": coverage(fingerprint, n),
        "chao1": chao1(fingerprint),
        "chao1_interval": list(chao1_interval(fingerprint)),
        "conflicting_prompts": conflicting_prompts,
        "hash_collisions_expected": hash_collisions_expected(distinct),
    }
