"""`singleton simulate`: the calibrated learner meets Theorem 2 and its analytic error; err follows sr."""

import json
import math
from collections import Counter

import numpy as np
import polars as pl
import pytest

from singleton import simulate
from singleton.cli import main
from singleton.errors import SingletonError

TRIAL_KEYS = {"learner", "N", "sr", "err", "theorem2_lower", "theorem2_upper", "missing_mass"}


def _sampling_tolerance(p: float, queries: int) -> float:
    """Four standard errors of a binomial share measured on `queries` draws (fails ≈ 6e-5 of the time)."""
    return 4 * math.sqrt(p * (1 - p) / queries) + 1 / queries


@pytest.fixture(scope="module")
def binding_run():
    """N = 1e6 and sr ≈ 0.3: Theorem 2's lower bound is ≈ 0.18, so both bounds bind."""
    profile = simulate.zipf_profile(10**6, exponent=0.5, target_sr=0.3, alpha=0.9, responses=365)
    return simulate.simulate([profile], trials=3, queries=200_000, seed=7, learners=("calibrated",))


def test_calibrated_learner_lies_within_theorem2_in_every_trial(binding_run):
    trials = binding_run["trials"]
    assert len(trials) == 3
    for row in trials:
        assert row["theorem2_lower"] is not None and row["theorem2_lower"] > 0.15, "the lower bound must bind"
        assert row["theorem2_lower"] <= row["err"] <= row["theorem2_upper"]
        assert row["above_lower"] and row["below_upper"]


def test_calibrated_learner_matches_its_analytic_error(binding_run):
    for row in binding_run["trials"]:
        analytic = row["missing_mass"] * (1 - 1 / 365)
        assert row["expected_err"] == pytest.approx(analytic, rel=1e-12)
        assert abs(row["err"] - analytic) <= _sampling_tolerance(analytic, row["queries"])
        low, high = row["sr_interval"]
        assert low <= row["missing_mass"] <= high and row["missing_mass_in_interval"]


def test_trial_records_have_the_issue_fields_and_the_right_bounds(binding_run):
    from singleton import stats

    for row in binding_run["trials"]:
        assert TRIAL_KEYS <= set(row)
        assert row["sr"] == row["singletons"] / row["N"]
        assert row["theorem2_lower"] == pytest.approx(stats.theorem2_lower(row["sr"], 10**6, 364))
        assert row["theorem2_upper"] == pytest.approx(stats.theorem2_upper(row["sr"], 10**6, 364))
        assert row["lower_slack"] == pytest.approx(0.117893, abs=1e-6)
    summary = binding_run["summary"]["results"][0]
    assert summary["trials"] == 3 and summary["above_lower"] == 3 and summary["below_upper"] == 3
    assert summary["err"] == pytest.approx(np.mean([row["err"] for row in binding_run["trials"]]))


def test_err_follows_sr():
    profiles = [simulate.zipf_profile(200_000, exponent=0.5, target_sr=target) for target in (0.05, 0.4)]
    result = simulate.simulate(profiles, trials=3, queries=50_000, seed=1)
    for learner in simulate.LEARNERS:
        low_sr, high_sr = ([row for row in result["trials"] if row["learner"] == learner and row["profile"] == p.name]
                           for p in profiles)
        assert max(row["sr"] for row in low_sr) < 0.06 and min(row["sr"] for row in high_sr) > 0.38
        assert max(row["err"] for row in low_sr) < min(row["err"] for row in high_sr)
    calibrated = {row["profile"]: row["err"] for row in result["summary"]["results"] if row["learner"] == "calibrated"}
    assert calibrated[profiles[0].name] == pytest.approx(0.05, abs=0.005)
    assert calibrated[profiles[1].name] == pytest.approx(0.4, abs=0.01)


def test_same_seed_same_numbers_and_bytes(tmp_path):
    profile = simulate.zipf_profile(20_000, prompts=5_000, alpha=0.8)
    first = simulate.simulate([profile], trials=2, queries=5_000, seed=3)
    again = simulate.simulate([profile], trials=2, queries=5_000, seed=3)
    other = simulate.simulate([profile], trials=2, queries=5_000, seed=4)
    assert first == again
    assert [row["err"] for row in first["trials"]] != [row["err"] for row in other["trials"]]
    paths = simulate.write_simulation(first, tmp_path / "a")
    simulate.write_simulation(again, tmp_path / "b")
    for path in paths:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
    assert paths[1].read_text().startswith("<svg")


def _hand_training() -> simulate.TrainingSet:
    """Six prompts, five answers: seen twice, once with IDK, IDK only, never, three times, once with IDK."""
    return simulate.TrainingSet(
        answers=np.array([0, 1, 1, 3, 4, 2], dtype=np.int32),
        answered=np.array([2, 1, 0, 0, 3, 1]),
        idk=np.array([0, 1, 2, 0, 0, 1]),
    )


def test_missing_mass_and_calibrated_error_by_hand():
    training = _hand_training()
    mu = np.array([0.3, 0.2, 0.1, 0.15, 0.05, 0.2])
    unanswered = 0.1 + 0.15  # prompts 2 (IDK only) and 3 (never seen)
    assert simulate.missing_mass(mu, training, 0.8) == pytest.approx(0.8 * unanswered)
    learner = simulate.CalibratedLearner(training, 0.8, 5)
    assert learner.expected_error(mu) == pytest.approx(0.8 * unanswered * (1 - 1 / 5))
    replies = learner.answer(np.repeat(np.arange(6), 20_000), np.random.default_rng(0)).reshape(6, -1)
    for prompt in (0, 1, 4, 5):
        assert (replies[prompt] == training.answers[prompt]).all(), "answered prompts are recalled"
    for prompt in (2, 3):
        assert np.mean(replies[prompt] == simulate.IDK_ANSWER) == pytest.approx(0.2, abs=0.015)
        guesses = Counter(replies[prompt][replies[prompt] != simulate.IDK_ANSWER].tolist())
        assert set(guesses) == set(range(5))


def _brute_force_kneser_ney(facts: list[str], subject: str, responses: int, discount: float = 0.75) -> list[float]:
    """Interpolated KN trigram over `<subject> <was born on> <answer>`, with dicts, from the rendered text."""
    pairs = [tuple(fact.split(" was born on ")) for fact in facts]
    vocabulary = [f"day {i}" for i in range(responses)] + ["unknown"]
    trigram = Counter(pairs)
    context = Counter(name for name, _ in pairs)
    continuation = Counter(answer for _, answer in set(pairs))
    total, types = sum(continuation.values()), len(continuation)

    def lower(word: str) -> float:
        return max(continuation[word] - discount, 0) / total + discount * types / total / len(vocabulary)

    if not context[subject]:
        return [lower(word) for word in vocabulary]
    follow = len({answer for name, answer in trigram if name == subject})
    return [max(trigram[(subject, word)] - discount, 0) / context[subject]
            + discount * follow / context[subject] * lower(word) for word in vocabulary]


def test_ngram_matches_a_brute_force_kneser_ney_over_the_text():
    training = _hand_training()
    facts = []
    for prompt in range(6):
        facts += [f"person {prompt} was born on day {training.answers[prompt]}"] * int(training.answered[prompt])
        facts += [f"person {prompt} was born on unknown"] * int(training.idk[prompt])
    learner = simulate.NgramLearner(training, 5)
    for prompt in range(6):
        expected = _brute_force_kneser_ney(facts, f"person {prompt}", 5)
        assert learner.probabilities(prompt) == pytest.approx(expected, abs=1e-12)
        assert sum(expected) == pytest.approx(1.0)


def test_ngram_sampling_matches_its_distribution_and_expected_error():
    training = _hand_training()
    learner = simulate.NgramLearner(training, 5)
    queries = 40_000
    for prompt in range(6):
        replies = learner.answer(np.full(queries, prompt), np.random.default_rng(prompt))
        tokens = np.where(replies == simulate.IDK_ANSWER, 5, replies)
        shares = np.bincount(tokens, minlength=6) / queries
        for share, p in zip(shares, learner.probabilities(prompt), strict=True):
            assert abs(share - p) <= _sampling_tolerance(p, queries)
    mu = np.full(6, 1 / 6)
    wrong = sum(mu[c] * (1 - learner.probabilities(c)[5] - learner.probabilities(c)[training.answers[c]])
                for c in range(6))
    assert learner.expected_error(mu) == pytest.approx(wrong)


def test_expected_singleton_rate_against_monte_carlo():
    mu, alpha, n, draws = np.linspace(1, 3, 20) / np.linspace(1, 3, 20).sum(), 0.7, 30, 20_000
    rng = np.random.default_rng(11)
    rates = []
    for _ in range(draws):
        prompts = rng.choice(20, size=n, p=mu)
        answered = prompts[rng.random(n) < alpha]
        rates.append(np.count_nonzero(np.bincount(answered, minlength=20) == 1) / n)
    spread = 4 * np.std(rates) / math.sqrt(draws)
    assert abs(np.mean(rates) - simulate.expected_singleton_rate(mu, alpha, n)) <= spread


def test_zipf_profile_hits_its_target_sr():
    for exponent, target in ((0.0, 0.2), (1.0, 0.1)):
        profile = simulate.zipf_profile(100_000, exponent=exponent, target_sr=target, alpha=0.9)
        assert profile.expected_sr == pytest.approx(target, rel=2e-3)
        assert profile.mu.sum() == pytest.approx(1.0)
    uniform = simulate.zipf_profile(1000, exponent=0.0, prompts=400)
    assert (uniform.mu == 1 / 400).all()


@pytest.mark.parametrize(("exponent", "target", "alpha"), [(0.0, 0.2, 1.0), (0.5, 0.3, 0.8), (1.0, 0.1, 1.0)])
def test_fingerprint_profile_reproduces_the_corpus_sr(exponent, target, alpha):
    truth = simulate.zipf_profile(100_000, exponent=exponent, target_sr=target, alpha=alpha)
    training = simulate.draw_training(truth, np.cumsum(truth.mu), np.random.default_rng(5))
    fingerprint = Counter(training.answered[training.answered > 0].tolist())
    category = {"N": training.n, "idk": int(training.idk.sum()), "error_space": 364,
                "fingerprint": {str(k): v for k, v in fingerprint.items()}, "sr": fingerprint[1] / training.n}
    estimated = simulate.fingerprint_profile("birth_date", category)
    assert estimated.n == training.n and estimated.responses == 365
    assert estimated.alpha == pytest.approx(alpha, abs=0.01)
    assert estimated.mu.sum() == pytest.approx(1.0)
    assert estimated.expected_sr == pytest.approx(category["sr"], rel=0.05)
    assert simulate.fingerprint_profile("birth_date", category, n=5000).n == 5000


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: simulate.zipf_profile(10**4, exponent=2.0, target_sr=0.5), "out of reach"),
        (lambda: simulate.zipf_profile(10**4, prompts=10, alpha=1.5), "--alpha"),
        (lambda: simulate.zipf_profile(10**4, target_sr=1.0), "target sr"),
        (lambda: simulate.zipf_profile(10**4, prompts=10, responses=1), "--responses"),
        (lambda: simulate.simulate([simulate.zipf_profile(100, prompts=10)], learners=("gpt",)), "unknown learner"),
        (lambda: simulate.fingerprint_profile("x", {"N": 5, "idk": 5, "fingerprint": {}}), "no answered"),
    ],
)
def test_bad_parameters_are_one_line_errors(call, message, monkeypatch):
    monkeypatch.setattr(simulate, "MAX_PROMPTS", 100_000)  # reach the cap in a fraction of a second
    with pytest.raises(SingletonError, match=message) as caught:
        call()
    assert caught.value.code == "E012"


def test_unknown_report_category_is_e004():
    with pytest.raises(SingletonError) as caught:
        simulate.profiles_from_report({"categories": {"birth_date": {}}}, ["death_place"])
    assert caught.value.code == "E004" and "birth_date" in caught.value.message


def test_cli_writes_simulation_json_and_plot(tmp_path, capsys):
    out = tmp_path / "sim"
    args = ["simulate", "--sr", "0.1,0.3", "--n", "20000", "--trials", "2", "--queries", "5000", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "calibrated" in printed and "ngram" in printed and "wrote" in printed
    result = json.loads((out / "simulation.json").read_text())
    assert len(result["trials"]) == 2 * 2 * 2
    assert all(TRIAL_KEYS <= set(row) for row in result["trials"])
    assert {row["learner"] for row in result["summary"]["results"]} == {"calibrated", "ngram"}
    assert (out / "simulation.svg").read_text().startswith("<svg")


@pytest.mark.parametrize(
    "args",
    [["simulate", "--sr", "0.1"], ["simulate", "--category", "birth_date", "--out", "x"],
     ["simulate", "--from", "x", "--alpha", "0.5"]],
)
def test_cli_option_errors_exit_1_and_write_nothing(tmp_path, capsys, args, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 1
    assert capsys.readouterr().err.startswith("singleton: error[E012]")
    assert not any(tmp_path.iterdir())


def test_cli_from_a_counted_corpus_writes_beside_its_report(tmp_path, capsys):
    from singleton import count

    truth = simulate.zipf_profile(4000, exponent=0.5, target_sr=0.3, alpha=0.9)
    training = simulate.draw_training(truth, np.cumsum(truth.mu), np.random.default_rng(2))
    rows = [{"doc_id": f"{prompt}-{kind}-{doc}", "category": "birth_date", "subject_key": f"person {prompt}",
             "object_key": "IDK" if kind == "idk" else f"19{training.answers[prompt] % 100:02d}"}
            for kind, counts in (("answer", training.answered), ("idk", training.idk))
            for prompt in np.flatnonzero(counts) for doc in range(counts[prompt])]
    pl.DataFrame(rows).write_parquet(tmp_path / "facts.parquet")
    count.count([tmp_path / "facts.parquet"], tmp_path / "run")
    report = json.loads((tmp_path / "run" / "report.json").read_text())["categories"]["birth_date"]
    args = ["simulate", "--from", str(tmp_path / "run"), "--category", "birth_date", "--trials", "3",
            "--queries", "5000", "--learners", "calibrated"]
    assert main(args) == 0
    assert "report.html" in capsys.readouterr().out
    result = json.loads((tmp_path / "run" / "simulation.json").read_text())
    profile = result["summary"]["profiles"][0]
    assert profile["N"] == report["N"] == training.n and profile["responses"] == report["error_space"] + 1
    assert profile["alpha"] == pytest.approx(1 - report["idk"] / report["N"])
    assert profile["expected_sr"] == pytest.approx(report["sr"], rel=0.1)
    assert np.mean([row["sr"] for row in result["trials"]]) == pytest.approx(report["sr"], rel=0.1)
    plot = (tmp_path / "run" / "simulation.svg").read_text()
    assert plot.lstrip().startswith("<svg") and plot.strip() in (tmp_path / "run" / "report.html").read_text()
