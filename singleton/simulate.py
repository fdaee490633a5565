"""Check Theorem 2 on a corpus's own numbers: draw training sets under the arbitrary-facts model, train, query.

The model is math.md §1 (Definition 1): prompts c drawn from µ, one uniformly chosen correct answer a_c out of
|R_c| per prompt, answered with probability α and IDK otherwise. Each trial draws N examples, measures sr and
the missing mass MM, trains two learners and measures their hallucination rate on fresh queries from µ.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from singleton import plots, stats
from singleton.errors import SingletonError
from singleton.report import write_atomically

SCHEMA = "singleton.simulation/1"
IDK_ANSWER = -1
"""A learner's answer code for IDK; real answers are indices 0 … |R_c| − 1."""

MAX_PROMPTS = 20_000_000
"""Largest number of prompts a profile may have: its arrays must fit in memory on a laptop (≈ 0.5 GB)."""

GOOD_TURING_MAX_K = 5
"""Good–Turing adjusts counts up to k = 5 (Katz's cut-off); above, counts are reliable as they are."""


@dataclass(frozen=True)
class Profile:
    """One prompt distribution µ of the arbitrary-facts model, with α, |R_c| and the training size N."""

    name: str
    mu: np.ndarray
    alpha: float
    responses: int
    n: int
    source: dict[str, Any]
    """How µ was made (shape and parameters, or the report it came from), for the output file."""

    @property
    def expected_sr(self) -> float:
        """E[sr] at this N: Σ_c α µ_c (1 − α µ_c)^(N−1), the chance an example is its prompt's only answer."""
        return expected_singleton_rate(self.mu, self.alpha, self.n)

    def describe(self) -> dict[str, Any]:
        """The profile's parameters as JSON (µ itself is summarised by its size)."""
        return {"name": self.name, "prompts": int(self.mu.size), "alpha": self.alpha, "responses": self.responses,
                "N": self.n, "expected_sr": self.expected_sr, **self.source}


def expected_singleton_rate(mu: np.ndarray, alpha: float, n: int) -> float:
    """E[sr] = Σ_c α µ_c (1 − α µ_c)^(N−1): each prompt's answered count is Binomial(N, α µ_c)."""
    answered = alpha * mu
    return float(np.sum(answered * np.power(1 - answered, n - 1)))


def _zipf(prompts: int, exponent: float) -> np.ndarray:
    """µ_c ∝ (c + 1)^(−s): the rank-frequency form of Zipf (s = 0 is uniform; Pareto tail a is s = 1/a)."""
    weights = np.arange(1, prompts + 1, dtype=np.float64) ** -exponent
    return weights / weights.sum()


def _check_model(alpha: float, responses: int, n: int) -> None:
    """Parameters every profile needs; bad values are the user's to fix, not a traceback."""
    if not 0 < alpha <= 1:
        raise SingletonError("E012", f"--alpha must be in (0, 1], got {alpha}")
    if responses < 2:
        raise SingletonError("E012", f"--responses must be at least 2 (one right, one wrong), got {responses}")
    if n < 1:
        raise SingletonError("E012", f"--n must be at least 1, got {n}")


def zipf_profile(n: int, *, exponent: float = 1.0, prompts: int | None = None, target_sr: float | None = None,
                 alpha: float = 1.0, responses: int = 365) -> Profile:
    """A Zipf profile over a number of prompts given directly, or found so that E[sr] at N is `target_sr`."""
    _check_model(alpha, responses, n)
    if exponent < 0:
        raise SingletonError("E012", f"--zipf exponent must be ≥ 0, got {exponent}")
    if (prompts is None) == (target_sr is None):
        raise SingletonError("E012", "give either a number of prompts or a target singleton rate")
    if prompts is None:
        prompts = _prompts_for_sr(n, exponent, target_sr, alpha)  # type: ignore[arg-type]
    if not 1 <= prompts <= MAX_PROMPTS:
        raise SingletonError("E012", f"the number of prompts must be in 1 … {MAX_PROMPTS:,}, got {prompts:,}")
    label = f"sr={target_sr:g}" if target_sr is not None else f"prompts={prompts}"
    source = {"shape": "zipf", "exponent": exponent, "target_sr": target_sr}
    return Profile(f"zipf(s={exponent:g}) {label}", _zipf(prompts, exponent), alpha, responses, n, source)


def _prompts_for_sr(n: int, exponent: float, target: float, alpha: float) -> int:
    """The number of Zipf prompts whose E[sr] at N is `target` (E[sr] grows with it), to 0.1%."""
    if not 0 < target < alpha:
        raise SingletonError("E012", f"a target sr must be in (0, α = {alpha:g}), got {target}")

    def sr_at(prompts: int) -> float:
        return expected_singleton_rate(_zipf(prompts, exponent), alpha, n)

    high, reached = 1, sr_at(1)
    while reached < target:
        if high >= MAX_PROMPTS:
            raise SingletonError(
                "E012", f"sr = {target:g} is out of reach of Zipf(s={exponent:g}) at N = {n:,} with up to "
                f"{MAX_PROMPTS:,} prompts (they give {reached:.4f}); lower the exponent, N or the target")
        high = min(high * 2, MAX_PROMPTS)
        reached = sr_at(high)
    low = max(1, high // 2)
    while high - low > max(1, low // 1000):
        middle = (low + high) // 2
        if sr_at(middle) < target:
            low = middle
        else:
            high = middle
    return high


def fingerprint_profile(category: str, report_category: Mapping[str, Any], n: int | None = None) -> Profile:
    """µ estimated from a report's fingerprint: Good–Turing masses for seen prompts, Chao1 unseen ones.

    A prompt answered k times gets answered mass k*/N (k* = (k+1)φ_{k+1}/φ_k for k ≤ 5 where φ_{k+1} > 0, else
    k); the f0 = φ₁(φ₁−1)/(2(φ₂+1)) unseen prompts share the missing mass sr equally; α = answered share of N.
    """
    fingerprint = {int(k): int(v) for k, v in report_category.get("fingerprint", {}).items() if int(v) > 0}
    total, idk = int(report_category.get("N", 0)), int(report_category.get("idk", 0))
    answered = total - idk
    if not fingerprint or answered <= 0:
        raise SingletonError("E012", f"category {category!r} has no answered observations to simulate from")
    alpha = answered / total
    ks = np.array(sorted(fingerprint), dtype=np.int64)
    counts = np.array([fingerprint[k] for k in ks], dtype=np.int64)
    adjusted = ks.astype(np.float64)
    for index, k in enumerate(ks):
        following = fingerprint.get(int(k) + 1, 0)
        if k <= GOOD_TURING_MAX_K and following:
            adjusted[index] = (k + 1) * following / fingerprint[int(k)]
    seen_mass = adjusted * counts
    singles = fingerprint.get(1, 0)
    unseen = math.ceil(stats.chao1(fingerprint) - counts.sum()) if singles > 1 else 0
    missing = singles / total if unseen else 0.0
    prompts = int(counts.sum()) + unseen
    if prompts > MAX_PROMPTS:
        raise SingletonError("E012", f"category {category!r} estimates {prompts:,} prompts; at most "
                             f"{MAX_PROMPTS:,} fit in a simulation")
    seen = np.repeat(adjusted / seen_mass.sum() * (alpha - missing), counts)
    answered_mass = np.concatenate([seen, np.full(unseen, missing / unseen if unseen else 0.0)])
    responses = int(report_category.get("error_space", 364)) + 1
    source = {"shape": "fingerprint", "category": category, "report_N": total, "report_sr": report_category.get("sr")}
    size = total if n is None else n
    _check_model(alpha, responses, size)
    return Profile(category, answered_mass / alpha, alpha, responses, size, source)


@dataclass(frozen=True)
class TrainingSet:
    """One draw of N examples: each prompt's correct answer, answered count n_c and IDK count."""

    answers: np.ndarray
    answered: np.ndarray
    idk: np.ndarray

    @property
    def n(self) -> int:
        """N: every example, IDK included (Definition 2)."""
        return int(self.answered.sum() + self.idk.sum())


def _draw(cdf: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """`size` i.i.d. indices from a distribution given by its cumulative sums (inverse-CDF sampling)."""
    return np.minimum(np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right"), cdf.size - 1)


def draw_training(profile: Profile, cdf: np.ndarray, rng: np.random.Generator) -> TrainingSet:
    """N examples of Definition 1: c ~ µ, answered (with a_c) with probability α, else IDK."""
    answers = rng.integers(0, profile.responses, size=profile.mu.size, dtype=np.int32)
    prompts = _draw(cdf, profile.n, rng)
    is_answered = rng.random(profile.n) < profile.alpha
    answered = np.bincount(prompts[is_answered], minlength=profile.mu.size)
    idk = np.bincount(prompts[~is_answered], minlength=profile.mu.size)
    return TrainingSet(answers, answered, idk)


class Learner(Protocol):
    """A model trained on one TrainingSet: answers prompts (IDK_ANSWER or an answer index)."""

    name: str

    def answer(self, prompts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One sampled answer per query."""
        ...

    def expected_error(self, mu: np.ndarray) -> float:
        """The exact probability that a query c ~ µ gets a wrong answer, given this training set."""
        ...


class CalibratedLearner:
    """The learner of Theorem 2's upper-bound proof: recall answered prompts; else IDK w.p. 1 − α, else guess.

    It is given the model's true α, so its expected error is exactly MM·(1 − 1/|R_c|).
    """

    name = "calibrated"

    def __init__(self, training: TrainingSet, alpha: float, responses: int) -> None:
        self.training, self.alpha, self.responses = training, alpha, responses

    def answer(self, prompts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Memorised answer where the prompt was answered; otherwise IDK or a uniform guess from R_c."""
        guess = np.where(rng.random(prompts.size) < self.alpha,
                         rng.integers(0, self.responses, size=prompts.size, dtype=np.int32), IDK_ANSWER)
        return np.where(self.training.answered[prompts] > 0, self.training.answers[prompts], guess)

    def expected_error(self, mu: np.ndarray) -> float:
        """MM·(1 − 1/|R_c|): a guess on an unanswered prompt is wrong unless it hits a_c."""
        return missing_mass(mu, self.training, self.alpha) * (1 - 1 / self.responses)


class NgramLearner:
    """An interpolated Kneser–Ney trigram LM over the facts as text `<subject> <was born on> <answer>`.

    The name and the relation are one token each, so the answer's trigram context is (subject, relation), its
    bigram context the relation alone (with KN continuation counts: how many subjects precede each answer),
    and the base distribution is uniform over the tokens that fill the answer slot (the |R_c| answers and
    `unknown`). Sampled at temperature 1; `unknown` is IDK.
    """

    name = "ngram"
    discount = 0.75

    def __init__(self, training: TrainingSet, responses: int) -> None:
        self.training = training
        self.responses = responses
        answered, idk = training.answered, training.idk
        vocabulary = responses + 1  # the answers, then `unknown` at index `responses`
        continuation = np.bincount(training.answers[answered > 0], minlength=vocabulary).astype(np.float64)
        continuation[responses] = np.count_nonzero(idk)
        types, total = np.count_nonzero(continuation), continuation.sum()
        # P(w | relation): the bigram level every subject backs off to, interpolated with the uniform base.
        if total:
            self.lower = np.maximum(continuation - self.discount, 0) / total
            self.lower += self.discount * types / total / vocabulary
        else:
            self.lower = np.full(vocabulary, 1 / vocabulary)
        self.cumulative_lower = np.cumsum(self.lower)

    def _levels(self, prompts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per prompt: the discounted trigram mass of a_c, of `unknown`, and the back-off weight λ_c."""
        answered = self.training.answered[prompts].astype(np.float64)
        idk = self.training.idk[prompts].astype(np.float64)
        context = answered + idk
        seen = context > 0
        safe = np.where(seen, context, 1.0)
        own = np.where(seen, np.maximum(answered - self.discount, 0) / safe, 0.0)
        unknown = np.where(seen, np.maximum(idk - self.discount, 0) / safe, 0.0)
        return own, unknown, 1.0 - own - unknown

    def answer(self, prompts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A token sampled from P(· | subject, relation): a_c, `unknown`, or one drawn from the bigram level."""
        own, unknown, _ = self._levels(prompts)
        draw = rng.random(prompts.size)
        backed_off = _draw(self.cumulative_lower, prompts.size, rng)
        backed_off = np.where(backed_off == self.responses, IDK_ANSWER, backed_off).astype(np.int32)
        return np.where(draw < own, self.training.answers[prompts],
                        np.where(draw < own + unknown, IDK_ANSWER, backed_off))

    def expected_error(self, mu: np.ndarray) -> float:
        """Σ_c µ_c λ_c (1 − P_low(unknown) − P_low(a_c)): only the back-off level can name a wrong answer."""
        prompts = np.arange(mu.size)
        _, _, backoff = self._levels(prompts)
        wrong = 1 - self.lower[self.responses] - self.lower[self.training.answers]
        return float(np.sum(mu * backoff * wrong))

    def probabilities(self, prompt: int) -> np.ndarray:
        """The full next-token distribution after (subject, relation), answers then `unknown` (for checks)."""
        own, unknown, backoff = (level[0] for level in self._levels(np.array([prompt])))
        result = backoff * self.lower
        result[self.training.answers[prompt]] += own
        result[self.responses] += unknown
        return result


LEARNERS: dict[str, Callable[[TrainingSet, Profile], Learner]] = {
    "calibrated": lambda training, profile: CalibratedLearner(training, profile.alpha, profile.responses),
    "ngram": lambda training, profile: NgramLearner(training, profile.responses),
}
"""The learners `simulate` can train, by name."""


def missing_mass(mu: np.ndarray, training: TrainingSet, alpha: float) -> float:
    """MM = Σ over prompts never answered in training of µ(c)·α (math.md §2)."""
    return float(alpha * mu[training.answered == 0].sum())


def _bounds(sr: float, n: int, responses: int) -> dict[str, Any]:
    """Theorem 2's bounds (δ = 0) with their finite-sample terms, and Lemma 1's interval around sr."""
    lower = stats.theorem2_lower(sr, n, responses - 1)
    return {
        "theorem2_lower": lower if lower > 0 else None,
        "vacuous": lower <= 0,
        "theorem2_upper": stats.theorem2_upper(sr, n, responses - 1),
        "lower_slack": stats.theorem2_slack(n),
        "upper_slack": 13 / math.sqrt(n),
        "sr_interval": list(stats.sr_interval(sr, n)),
    }


def _trial(profile: Profile, cdf: np.ndarray, learners: Sequence[str], queries: int,
           seed: np.random.SeedSequence) -> list[dict[str, Any]]:
    """One training draw, every learner trained on it and asked the same fresh queries."""
    training_seed, query_seed, *learner_seeds = seed.spawn(2 + len(learners))
    training = draw_training(profile, cdf, np.random.default_rng(training_seed))
    questions = _draw(cdf, queries, np.random.default_rng(query_seed))
    singletons = int(np.count_nonzero(training.answered == 1))
    sr = stats.singleton_rate(singletons, profile.n)
    mass = missing_mass(profile.mu, training, profile.alpha)
    bounds = _bounds(sr, profile.n, profile.responses)
    low, high = bounds["sr_interval"]
    records = []
    for name, learner_seed in zip(learners, learner_seeds, strict=True):
        learner = LEARNERS[name](training, profile)
        replies = learner.answer(questions, np.random.default_rng(learner_seed))
        wrong = np.count_nonzero((replies != IDK_ANSWER) & (replies != training.answers[questions]))
        err = wrong / queries
        records.append({
            "learner": name, "N": profile.n, "sr": sr, "err": err,
            "theorem2_lower": bounds["theorem2_lower"], "theorem2_upper": bounds["theorem2_upper"],
            "missing_mass": mass, "expected_err": learner.expected_error(profile.mu),
            "abstained": float(np.count_nonzero(replies == IDK_ANSWER) / queries),
            "above_lower": bool(err >= (bounds["theorem2_lower"] or 0.0)),
            "below_upper": bool(err <= bounds["theorem2_upper"]),
            "missing_mass_in_interval": bool(low <= mass <= high),
            "singletons": singletons, "idk": int(training.idk.sum()), "queries": queries,
            **{key: bounds[key] for key in ("vacuous", "lower_slack", "upper_slack", "sr_interval")},
        })
    return records


def simulate(profiles: Sequence[Profile], *, trials: int = 5, queries: int = 100_000, seed: int = 0,
             learners: Sequence[str] = tuple(LEARNERS)) -> dict[str, Any]:
    """Run `trials` draws per profile and summarise; the same seed gives the same numbers."""
    if trials < 1 or queries < 1:
        raise SingletonError("E012", f"--trials and --queries must be at least 1, got {trials} and {queries}")
    unknown = [name for name in learners if name not in LEARNERS]
    if unknown:
        raise SingletonError("E012", f"unknown learner {unknown[0]!r}; known: {', '.join(LEARNERS)}")
    records: list[dict[str, Any]] = []
    for profile_index, profile in enumerate(profiles):
        cdf = np.cumsum(profile.mu)
        for trial in range(trials):
            sequence = np.random.SeedSequence([seed, profile_index, trial])
            for record in _trial(profile, cdf, learners, queries, sequence):
                records.append({"profile": profile.name, "trial": trial, **record})
    return {
        "schema": SCHEMA,
        "trials": records,
        "summary": {
            "seed": seed, "trials_per_profile": trials, "queries": queries, "learners": list(learners),
            "profiles": [profile.describe() for profile in profiles],
            "results": [_summary(profile.name, name, records) for profile in profiles for name in learners],
        },
    }


def _summary(profile: str, learner: str, records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Means over one profile's trials for one learner, and how many trials kept err within Theorem 2."""
    rows = [row for row in records if row["profile"] == profile and row["learner"] == learner]
    errs = np.array([row["err"] for row in rows])
    lowers = [row["theorem2_lower"] for row in rows if row["theorem2_lower"] is not None]

    def mean(key: str) -> float:
        return float(np.mean([row[key] for row in rows]))

    return {
        "profile": profile, "learner": learner, "trials": len(rows), "N": rows[0]["N"],
        "sr": mean("sr"), "missing_mass": mean("missing_mass"), "err": float(errs.mean()),
        "err_sd": float(errs.std(ddof=1)) if len(rows) > 1 else 0.0, "expected_err": mean("expected_err"),
        "abstained": mean("abstained"),
        "theorem2_lower": float(np.mean(lowers)) if len(lowers) == len(rows) else None,
        "theorem2_upper": mean("theorem2_upper"),
        "above_lower": sum(row["above_lower"] for row in rows),
        "below_upper": sum(row["below_upper"] for row in rows),
        "missing_mass_in_interval": sum(row["missing_mass_in_interval"] for row in rows),
    }


def simulation_plot(result: Mapping[str, Any]) -> str:
    """err against sr for every trial and learner, over each trial's Theorem 2 interval and the line err = sr."""
    figure, axes = plots.new_figure(4.2)
    rows = result["trials"]
    intervals = sorted({(row["sr"], row["theorem2_lower"] or 0.0, row["theorem2_upper"]) for row in rows})
    for index, (sr, low, high) in enumerate(intervals):
        axes.vlines(sr, low, high, color="#bbbbbb", linewidth=3, label="Theorem 2: lower (δ = 0) to upper" if index == 0 else None)
    top = max([row["sr"] for row in rows] + [row["err"] for row in rows] + [high for _, _, high in intervals])
    axes.plot([0, top], [0, top], linestyle="--", color="#555555", linewidth=1, label="err = sr (the forecast)")
    for index, learner in enumerate(result["summary"]["learners"]):
        mine = [row for row in rows if row["learner"] == learner]
        axes.scatter([row["sr"] for row in mine], [row["err"] for row in mine], s=14, color=plots.colour(index),
                     label=f"{learner} learner", zorder=3)
    axes.set_xlim(0, top * 1.05)
    axes.set_ylim(0, top * 1.05)
    axes.set_xlabel("singleton rate sr of the training set")
    axes.set_ylabel("hallucination rate err on fresh queries")
    axes.set_title("Simulated arbitrary facts: err against sr, one point per trial")
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    return plots.to_svg(figure, "simulation")


def write_simulation(result: Mapping[str, Any], out_dir: str | Path) -> list[Path]:
    """`simulation.json` and `simulation.svg` in out_dir (created if needed); returns the paths written."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "simulation.json", directory / "simulation.svg"]
    write_atomically(paths[0], json.dumps(result, indent=2, allow_nan=False) + "\n")
    write_atomically(paths[1], simulation_plot(result) + "\n")
    return paths


DEFAULT_TARGETS = (0.05, 0.1, 0.2, 0.4)
"""Singleton rates of the default Zipf profiles: from a well-covered category to a long-tailed one."""


def parametric_profiles(n: int | None = None, *, targets: Sequence[float] | None = None,
                        prompts: Sequence[int] | None = None, exponent: float | None = None,
                        alpha: float | None = None, responses: int | None = None) -> list[Profile]:
    """One Zipf profile per target sr (or per number of prompts), with the CLI's defaults for what is unset."""
    if targets is not None and prompts is not None:
        raise SingletonError("E012", "give target singleton rates (--sr) or numbers of prompts (--prompts), not both")
    common = {"exponent": 0.5 if exponent is None else exponent, "alpha": 1.0 if alpha is None else alpha,
              "responses": 365 if responses is None else responses}
    size = 10**6 if n is None else n
    if prompts is not None:
        return [zipf_profile(size, prompts=count, **common) for count in prompts]  # type: ignore[arg-type]
    return [zipf_profile(size, target_sr=target, **common)  # type: ignore[arg-type]
            for target in (DEFAULT_TARGETS if targets is None else targets)]


def profiles_from_report(report: Mapping[str, Any], categories: Sequence[str] | None,
                         n: int | None = None) -> list[Profile]:
    """One fingerprint profile per category of a report (all of them when `categories` is None)."""
    known = report.get("categories", {})
    names = list(known) if categories is None else list(categories)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SingletonError("E004", f"category {unknown[0]!r} is not in the report; it has: "
                             f"{', '.join(known) or 'none'}")
    return [fingerprint_profile(name, known[name], n) for name in names]


def summary_table(result: Mapping[str, Any]) -> str:
    """The summary as a plain-text table for the terminal, one row per profile and learner."""
    header = ("profile", "learner", "trials", "N", "sr", "MM", "err", "expected", "lower", "upper", "≥lower",
              "≤upper")
    lines = [header]
    for row in result["summary"]["results"]:
        lower = "vacuous" if row["theorem2_lower"] is None else f"{row['theorem2_lower']:.4f}"
        lines.append((row["profile"], row["learner"], str(row["trials"]), f"{row['N']:,}", f"{row['sr']:.4f}",
                      f"{row['missing_mass']:.4f}", f"{row['err']:.4f}±{row['err_sd']:.4f}",
                      f"{row['expected_err']:.4f}", lower, f"{row['theorem2_upper']:.4f}",
                      f"{row['above_lower']}/{row['trials']}", f"{row['below_upper']}/{row['trials']}"))
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


def refresh_report_html(directory: str | Path, report: Mapping[str, Any]) -> Path | None:
    """Re-render DIR/report.html, if the run wrote one, so the page can carry simulation.svg beside its plots."""
    from singleton.html import render_html

    path = Path(directory) / "report.html"
    if not path.is_file():
        return None
    write_atomically(path, render_html(report, Path(directory)))
    return path
