"""The counting engine against a brute-force count in plain Python dicts, and against the paper's worked numbers."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import xxhash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from singleton import count as counting
from singleton.count import count, partial_counts
from singleton.errors import SingletonError
from singleton.hashing import document_hash, fact_hash, prompt_hash
from singleton.report import build_report
from singleton.schema import IDK
from singleton.stats import category_statistics

RULES = {"birth_date": "date", "birth_place": "place", "award": "equal"}
"""Two built-in categories and one a user's extractor might emit (equality rule, by its name)."""

VALUES = {
    "date": ["1809", "1809-02", "1809-02-12", "1809-03", "1810", "-0384", "-0384-05", IDK],
    "place": ["kentucky", "hardin, kentucky", "hardin,kentucky", "hodgenville, hardin, kentucky", "ohio",
              "canada", "toronto, ontario, canada", IDK],
    "equal": ["x", "y", IDK],
}
SUBJECTS = ["ada", "bob", "cy", "di"]
DOMAINS = [None, "a.org", "b.org"]


# ------------------------------------------------------------------------------------------- brute force


def _parts(value: str, rule: str) -> list[str]:
    if rule == "date":
        return value.lstrip("-").split("-")
    if rule == "place":
        return [part.strip() for part in value.split(",")]
    return [value]


def _refines(fine: str, coarse: str, rule: str) -> bool:
    """`fine` is a strictly more precise answer compatible with `coarse` (math.md §5)."""
    if rule == "date":
        return fine.startswith(coarse + "-")
    if rule == "place":
        f, c = _parts(fine, rule), _parts(coarse, rule)
        return len(f) > len(c) and f[-len(c):] == c
    return False


def _compatible(a: str, b: str, rule: str) -> bool:
    return _parts(a, rule) == _parts(b, rule) or _refines(a, b, rule) or _refines(b, a, rule)


def brute_observations(rows: list[dict[str, Any]], unit: str) -> list[dict[str, Any]]:
    """One dict per observation: every row (mention), or per document the answers no other answer refines."""
    if unit == "mention":
        return [dict(row) for row in rows]
    answers: dict[tuple, set[str]] = defaultdict(set)
    first: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = (row["doc_id"], row["category"], row["subject_key"])
        answers[key].add(row["object_key"])
        first.setdefault(key, row)
    found = []
    for key, given_answers in answers.items():
        rule = RULES[key[1]]
        answered = given_answers - {IDK}
        kept = [a for a in answered if not any(_refines(b, a, rule) for b in answered)]
        kept += [IDK] if IDK in given_answers else []
        found += [{**first[key], "object_key": value} for value in kept]
    return found


def brute_figures(observations: list[dict[str, Any]], global_n: dict | None = None) -> dict[str, dict[str, Any]]:
    """N, idk, fingerprint, singletons, distinct prompts, conflicts (and sr_global) per category."""
    figures: dict[str, dict[str, Any]] = {}
    for category in sorted({o["category"] for o in observations}):
        mine = [o for o in observations if o["category"] == category]
        n_c = Counter(o["subject_key"] for o in mine if o["object_key"] != IDK)
        answers: dict[str, set[str]] = defaultdict(set)
        for o in mine:
            if o["object_key"] != IDK:
                answers[o["subject_key"]].add(o["object_key"])
        rule = RULES[category]
        conflicts = sum(
            any(not _compatible(a, b, rule) for a in values for b in values) for values in answers.values()
        )
        fingerprint = Counter(n_c.values())
        figures[category] = {
            "N": len(mine),
            "idk": sum(o["object_key"] == IDK for o in mine),
            "fingerprint": {str(k): fingerprint[k] for k in sorted(fingerprint)},
            "singletons": fingerprint[1],
            "distinct_prompts": len(n_c),
            "sr": round(fingerprint[1] / len(mine), 6),
            "conflicting_prompts": conflicts,
        }
        if global_n is not None:
            hits = sum(1 for o in mine if o["object_key"] != IDK and global_n[(category, o["subject_key"])] == 1)
            figures[category]["sr_global"] = round(hits / len(mine), 6)
    return figures


def brute_dedup(rows: list[dict[str, Any]], unit: str) -> dict[str, tuple[int, int]]:
    """(N, singletons) per category with exact-duplicate documents (same doc_hash) counted once."""
    kept_docs: dict[Any, str] = {}
    for row in rows:
        if row["doc_hash"] is not None:
            kept_docs.setdefault(row["doc_hash"], row["doc_id"])
    kept = [r for r in rows if r["doc_hash"] is None or kept_docs[r["doc_hash"]] == r["doc_id"]]
    return {name: (f["N"], f["singletons"]) for name, f in brute_figures(brute_observations(kept, unit)).items()}


def brute_prompts(observations: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """prompts.parquet as plain dicts: n, idk, distinct answers, top answer (ties: most precise, smallest), example."""
    by_prompt: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for o in observations:
        by_prompt[(o["category"], o["subject_key"])].append(o)
    table = {}
    for (category, subject), mine in by_prompt.items():
        counts = Counter(o["object_key"] for o in mine if o["object_key"] != IDK)
        rule = RULES[category]
        if counts:
            top = min(counts, key=lambda a: (-counts[a], -len(_parts(a, rule)), a))
            example = min(o["doc_id"] for o in mine if o["object_key"] == top)
        else:
            top, example = None, min(o["doc_id"] for o in mine)
        table[(category, subject)] = {
            "n": sum(counts.values()),
            "idk": sum(o["object_key"] == IDK for o in mine),
            "distinct_answers": len(counts),
            "top_answer": top,
            "top_count": counts[top] if top else 0,
            "conflict": any(not _compatible(a, b, rule) for a in counts for b in counts),
            "example_doc_id": example,
        }
    return table


# ---------------------------------------------------------------------------------------------- corpora


@st.composite
def corpora(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Documents with facts; some are exact copies of earlier ones (same facts and doc_hash, new doc_id)."""
    rows: list[dict[str, Any]] = []
    documents: list[tuple[Any, list[tuple[str, str, str]]]] = []
    for index in range(draw(st.integers(0, 9))):
        domain = draw(st.sampled_from(DOMAINS))
        if documents and draw(st.integers(0, 3)) == 0:
            doc_hash, facts = draw(st.sampled_from(documents))
        else:
            doc_hash = draw(st.sampled_from([None, 2**63 + index]))  # one hash per distinct content
            facts = []
            for _ in range(draw(st.integers(0, 6))):
                category = draw(st.sampled_from(sorted(RULES)))
                facts.append((category, draw(st.sampled_from(SUBJECTS)), draw(st.sampled_from(VALUES[RULES[category]]))))
            if doc_hash is not None:
                documents.append((doc_hash, facts))
        rows += [
            {"doc_id": f"d{index}", "domain": domain, "doc_hash": doc_hash, "category": c, "subject_key": s, "object_key": o}
            for c, s, o in facts
        ]
    return rows


FACT_COLUMNS = {"doc_id": pl.String(), "domain": pl.String(), "doc_hash": pl.UInt64(), "category": pl.String(),
                "subject_key": pl.String(), "object_key": pl.String()}


def write_files(rows: list[dict[str, Any]], directory: Path, files: int) -> list[Path]:
    """The facts split into `files` parquet files, each document wholly in one of them."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(files):
        part = [row for row in rows if int(row["doc_id"][1:]) % files == index]
        path = directory / f"facts-{index:02d}.parquet"
        pl.DataFrame(part, schema=FACT_COLUMNS).write_parquet(path)
        paths.append(path)
    return paths


def _count(paths: list[Path], out: Path, **options: Any) -> Any:
    """`count` without report.html: its plots take a second, and are tested in test_html.py."""
    return count(paths, out, with_html=False, **options)


def _without_noise(data: dict[str, Any]) -> dict[str, Any]:
    """The report minus what may differ between equal runs (run, timing) or with the file split (input)."""
    return {key: value for key, value in data.items() if key not in ("run", "timing", "input")}


# ------------------------------------------------------------------------------------------------ tests


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=corpora(), unit=st.sampled_from(["doc", "mention"]), files=st.integers(1, 4), buckets=st.sampled_from([1, 2, 16]))
def test_count_equals_brute_force(tmp_path_factory, rows, unit, files, buckets) -> None:
    base = tmp_path_factory.mktemp("run")
    report = _count(write_files(rows, base / "facts", files), base / "out", unit=unit, buckets=buckets)
    observations = brute_observations(rows, unit)
    expected = brute_figures(observations)
    global_n = Counter((o["category"], o["subject_key"]) for o in observations if o["object_key"] != IDK)
    categories = report.data["categories"]
    assert sorted(categories) == sorted(expected)
    for name, figures in expected.items():
        assert {key: categories[name][key] for key in figures} == figures, name
    dedup = brute_dedup(rows, unit)
    hashed = any(row["doc_hash"] is not None for row in rows)
    for name, fields in categories.items():
        assert ("dedup" in fields) == hashed
        if hashed:
            assert (fields["dedup"]["N"], fields["dedup"]["singletons"]) == dedup[name]
    domains = {
        domain: brute_figures([o for o in observations if o["domain"] == domain], global_n)
        for domain in {o["domain"] for o in observations} - {None}
    }
    got_domains = {d: {c: {k: f[k] for k in domains[d][c]} for c, f in per.items()} for d, per in report.data["domains"].items()}
    assert got_domains == domains
    prompts = pl.read_parquet(base / "out" / "prompts.parquet")
    assert prompts["prompt"].is_sorted()
    got_prompts = {(r.pop("category"), r.pop("subject_key")): r for r in prompts.drop("prompt").to_dicts()}
    assert got_prompts == brute_prompts(observations)
    assert report.data["input"]["documents"] == len({row["doc_id"] for row in rows})


def test_the_papers_toy_case_has_sr_04(tmp_path: Path) -> None:
    """math.md §2: N counts IDK examples; a prompt answered once and also IDK is a singleton, IDK-only is not."""
    pairs = [("c1", "a"), ("c1", "a"), ("c2", "a"), ("c3", IDK), ("c3", "a"), ("c4", IDK), ("c5", "a"),
             ("c6", IDK), ("c6", IDK), ("c7", "a")]
    facts = pl.DataFrame({"doc_id": [f"d{i}" for i in range(10)], "category": "toy",
                          "subject_key": [p[0] for p in pairs], "object_key": [p[1] for p in pairs]})
    facts.write_parquet(tmp_path / "toy.parquet")
    fields = _count([tmp_path / "toy.parquet"], tmp_path / "out").data["categories"]["toy"]
    assert (fields["N"], fields["idk"], fields["singletons"], fields["sr"]) == (10, 4, 4, 0.4)
    assert fields["fingerprint"] == {"1": 4, "2": 1}


def test_worked_bound_numbers_through_the_engine(tmp_path: Path) -> None:
    """math.md §3/§4 at N = 10^4, sr = 0.2, |E| = 364: the lower bound is vacuous, upper 0.329452, ±0.094852."""
    subjects = [f"s{i}" for i in range(2000)] + [f"t{i}" for i in range(4000) for _ in range(2)]
    facts = pl.DataFrame({"doc_id": [f"d{i}" for i in range(len(subjects))], "category": "birth_date",
                          "subject_key": subjects, "object_key": "1900"})
    facts.write_parquet(tmp_path / "facts.parquet")
    fields = _count([tmp_path / "facts.parquet"], tmp_path / "out").data["categories"]["birth_date"]
    assert (fields["N"], fields["sr"], fields["error_space"]) == (10_000, 0.2, 364)
    assert (fields["theorem2_lower"], fields["vacuous"]) == (None, True)
    assert fields["theorem2_upper"] == 0.329452
    assert fields["sr_interval"] == [0.105148, 0.294852]


@pytest.mark.parametrize(("n", "lower", "upper", "half"), [(10**6, 0.076612, 0.212452, 0.009485), (10**9, 0.189467, 0.199863, 0.0003)])
def test_worked_bound_numbers_in_report_fields(n: int, lower: float, upper: float, half: float) -> None:
    fingerprint = {1: n // 5, 2: 2 * n // 5}  # sr = 0.2, Σ k φ_k = N
    fields = build_report(unit="doc", input_info={}, categories={"birth_date": category_statistics(n, 0, fingerprint, 0, 364)},
                          domains={}, run={}, timing={})["categories"]["birth_date"]
    assert (fields["sr"], fields["theorem2_lower"], fields["theorem2_upper"], fields["vacuous"]) == (0.2, lower, upper, False)
    assert fields["sr_interval"] == [pytest.approx(0.2 - half, abs=1e-6), pytest.approx(0.2 + half, abs=1e-6)]


def test_design_example_fields_after_rounding() -> None:
    """DESIGN.md's consistent example, field by field, as report.json writes it."""
    fingerprint = {1: 50000, 2: 20000, 3: 10000, 10: 5000}
    fields = build_report(unit="doc", input_info={}, categories={"birth_date": category_statistics(171000, 1000, fingerprint, 0, 364)},
                          domains={}, run={}, timing={})["categories"]["birth_date"]
    expected = {"N": 171000, "idk": 1000, "distinct_prompts": 85000, "singletons": 50000, "sr": 0.292398,
                "sr_interval": [0.26946, 0.315335], "gamma": 0.05, "error_space": 364, "theorem2_confidence": 0.99,
                "theorem2_lower": 0.027433, "theorem2_upper": 0.323034, "vacuous": False,
                "fingerprint": {"1": 50000, "2": 20000, "3": 10000, "10": 5000},
                "singleton_share_of_distinct": 0.588235, "good_turing_once_mass": 0.233918, "coverage": 0.707602,
                "conflicting_prompts": 0, "hash_collisions_expected": 1.96e-10}
    assert {key: fields[key] for key in expected} == expected
    assert list(fields["fingerprint"]) == ["1", "2", "3", "10"]  # numeric order, as in the example
    assert fields["chao1"] == pytest.approx(147495.6, abs=0.05)


def _facts(rows: list[tuple[str, str, str, str]], **extra: list[Any]) -> pl.DataFrame:
    """(doc_id, category, subject_key, object_key) rows as a facts table."""
    columns = dict(zip(["doc_id", "category", "subject_key", "object_key"], map(list, zip(*rows))))
    return pl.DataFrame({**columns, **extra}, schema_overrides={"doc_hash": pl.UInt64()} if "doc_hash" in extra else None)


def _observed(partial: pl.DataFrame) -> dict[str, int]:
    return dict(partial.group_by("object_key").agg(pl.col("n").sum()).iter_rows())


def test_a_document_merges_compatible_answers_into_the_most_precise() -> None:
    lifespan = _facts([("d", "birth_date", "x", "1894"), ("d", "birth_date", "x", "1894-07-26"), ("d", "birth_date", "x", "1894")])
    assert _observed(partial_counts(lifespan, "doc")) == {"1894-07-26": 1}
    assert _observed(partial_counts(lifespan, "mention")) == {"1894": 2, "1894-07-26": 1}
    three = _facts([("d", "birth_date", "x", v) for v in ("1809", "1809-02", "1810")])
    assert _observed(partial_counts(three, "doc")) == {"1809-02": 1, "1810": 1}
    fork = _facts([("d", "birth_date", "x", v) for v in ("1809", "1809-02-12", "1809-03", IDK, IDK)])
    assert _observed(partial_counts(fork, "doc")) == {"1809-02-12": 1, "1809-03": 1, IDK: 1}
    places = _facts([("d", "birth_place", "x", v) for v in ("kentucky", "hardin, kentucky", "canada")])
    assert _observed(partial_counts(places, "doc")) == {"hardin, kentucky": 1, "canada": 1}
    bc = _facts([("d", "death_date", "x", v) for v in ("-0384", "-0384-05", "0384")])
    assert _observed(partial_counts(bc, "doc")) == {"-0384-05": 1, "0384": 1}
    other_docs = _facts([("d1", "birth_date", "x", "1894"), ("d2", "birth_date", "x", "1894-07-26")])
    assert _observed(partial_counts(other_docs, "doc")) == {"1894": 1, "1894-07-26": 1}


def test_user_categories_use_the_rule_of_their_name(tmp_path: Path) -> None:
    facts = _facts([("d1", "founding_date", "acme", "1900"), ("d2", "founding_date", "acme", "1900-05"),
                    ("d3", "hq_place", "acme", "ohio"), ("d4", "hq_place", "acme", "texas"),
                    ("d5", "ceo", "acme", "ann"), ("d6", "ceo", "acme", "bo")])
    facts.write_parquet(tmp_path / "facts.parquet")
    categories = _count([tmp_path / "facts.parquet"], tmp_path / "out").data["categories"]
    assert {name: fields["conflicting_prompts"] for name, fields in categories.items()} == {"ceo": 1, "founding_date": 0, "hq_place": 1}
    assert {name: fields["error_space"] for name, fields in categories.items()} == {"ceo": 1000, "founding_date": 364, "hq_place": 1000}


def test_error_space_override_and_defaults(tmp_path: Path) -> None:
    facts = _facts([("d1", "birth_date", "a", "1900"), ("d1", "birth_place", "a", "rome")])
    facts.write_parquet(tmp_path / "facts.parquet")
    categories = _count([tmp_path / "facts.parquet"], tmp_path / "out", error_space={"birth_date": 5000}).data["categories"]
    assert (categories["birth_date"]["error_space"], categories["birth_place"]["error_space"]) == (5000, 1000)


def test_merge_is_the_same_for_one_file_or_fifty_and_any_bucket_count(tmp_path: Path) -> None:
    rows = [
        {"doc_id": f"d{i}", "domain": ["a.org", "b.org", None][i % 3], "doc_hash": i % 40,
         "category": sorted(RULES)[i % 3], "subject_key": f"s{(i * 7) % 97}",
         "object_key": VALUES[RULES[sorted(RULES)[i % 3]]][(i * 5) % 8 % len(VALUES[RULES[sorted(RULES)[i % 3]]])]}
        for i in range(600)
    ]
    one = _count(write_files(rows, tmp_path / "one", 1), tmp_path / "out1", buckets=1)
    fifty = _count(write_files(rows, tmp_path / "fifty", 50), tmp_path / "out50", buckets=64)
    auto = _count(write_files(rows, tmp_path / "fifty", 50), tmp_path / "outauto")
    assert _without_noise(one.data) == _without_noise(fifty.data) == _without_noise(auto.data)
    assert one.categories.equals(fifty.categories) and one.domains.equals(fifty.domains)
    assert pl.read_parquet(tmp_path / "out1" / "prompts.parquet").equals(pl.read_parquet(tmp_path / "out50" / "prompts.parquet"))
    texts = {json.dumps(_without_noise(json.loads((tmp_path / d / "report.json").read_text()))) for d in ("out1", "out50")}
    assert len(texts) == 1  # the same bytes, key order included


def test_a_frame_in_memory_counts_like_its_file(tmp_path: Path) -> None:
    """The Python API takes a Polars frame (eager or lazy) and gives the file's report; a bad frame is E003."""
    categories = sorted(RULES)
    rows = [
        {"doc_id": f"d{i % 90}", "domain": ["a.org", None][i % 2], "doc_hash": i % 70, "category": categories[i % 3],
         "subject_key": f"s{(i * 11) % 53}", "object_key": VALUES[RULES[categories[i % 3]]][i % 7 % len(VALUES[RULES[categories[i % 3]]])]}
        for i in range(400)
    ]
    frame = pl.DataFrame(rows, schema=FACT_COLUMNS)
    from_file = _count(write_files(rows, tmp_path / "file", 1), tmp_path / "out-file")
    from_frame = _count(frame, tmp_path / "out-frame")
    from_lazy = _count(frame.lazy(), tmp_path / "out-lazy")
    assert _without_noise(from_frame.data) == _without_noise(from_file.data) == _without_noise(from_lazy.data)
    assert from_frame.data["input"]["documents"] == from_file.data["input"]["documents"] == 90
    assert pl.read_parquet(tmp_path / "out-frame" / "prompts.parquet").equals(pl.read_parquet(tmp_path / "out-file" / "prompts.parquet"))
    with pytest.raises(SingletonError, match="E003.*the facts frame has no column 'object_key'"):
        _count(frame.drop("object_key"), tmp_path / "out-bad")
    assert not (tmp_path / "out-bad").exists()


def test_large_files_are_read_in_slices_of_whole_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"doc_id": f"d{i // 3}", "domain": None, "doc_hash": None, "category": "birth_date",
             "subject_key": f"s{i % 17}", "object_key": ["1900", "1900-01", "1901"][i % 3]} for i in range(300)]
    paths = write_files(rows, tmp_path / "facts", 1)
    whole = _count(paths, tmp_path / "whole")
    monkeypatch.setattr(counting, "SLICE_ROWS", 7)
    sliced = _count(paths, tmp_path / "sliced")
    assert _without_noise(whole.data) == _without_noise(sliced.data)
    assert whole.data["categories"] == brute_figures_full(rows)


def brute_figures_full(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The full report fields of a corpus without domains or document hashes, from the brute-force figures."""
    observations = brute_observations(rows, "doc")
    result = {}
    for name, figures in brute_figures(observations).items():
        fingerprint = {int(k): v for k, v in figures["fingerprint"].items()}
        result[name] = category_statistics(figures["N"], figures["idk"], fingerprint, figures["conflicting_prompts"], 364)
    return build_report(unit="doc", input_info={}, categories=result, domains={}, run={}, timing={})["categories"]


def test_empty_facts_table_gives_an_empty_report(tmp_path: Path) -> None:
    pl.DataFrame(schema=FACT_COLUMNS).write_parquet(tmp_path / "empty.parquet")
    report = count([tmp_path / "empty.parquet"], tmp_path / "out")
    assert report.data["categories"] == {} and report.data["domains"] == {}
    assert report.data["input"]["documents"] == 0
    assert report.categories.is_empty() and report.failed == []
    assert pl.read_parquet(tmp_path / "out" / "prompts.parquet").is_empty()
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"prompts.parquet", "report.json", "report.md", "report.html"}


def test_n_zero_statistics_divide_by_nothing() -> None:
    fields = category_statistics(0, 0, {}, 0, 364)
    assert (fields["sr"], fields["sr_interval"], fields["theorem2_lower"], fields["vacuous"]) == (0.0, [0.0, 1.0], None, True)


def test_a_users_facts_table_with_only_the_required_columns_and_integer_ids(tmp_path: Path) -> None:
    facts = pl.DataFrame({"doc_id": [1, 2, 2, 3], "category": "birth_date", "subject_key": ["a", "a", "b", None],
                          "object_key": ["1900", "1900", "1901", "1902"], "confidence": [0.9, 0.8, 0.7, 0.1]})
    facts.write_parquet(tmp_path / "mine.parquet")
    report = _count([tmp_path], tmp_path / "out")  # a folder stands for its parquet files
    fields = report.data["categories"]["birth_date"]
    assert (fields["N"], fields["singletons"], "dedup" in fields) == (3, 1, False)
    assert report.data["input"] | {"bytes": 0} == {"units": 1, "documents": 2, "bytes": 0, "duplicate_documents": None,
                                                   "invalid_rows": 1, "failed": []}


def test_duplicate_documents_share_and_dedup(tmp_path: Path) -> None:
    facts = _facts([("d1", "birth_date", "a", "1900"), ("d2", "birth_date", "a", "1900"), ("d3", "birth_date", "b", "1901")],
                   doc_hash=[7, 7, 8])
    facts.write_parquet(tmp_path / "facts.parquet")
    report = _count([tmp_path / "facts.parquet"], tmp_path / "out")
    fields = report.data["categories"]["birth_date"]
    assert (fields["N"], fields["singletons"]) == (3, 1)
    assert fields["dedup"] == {"N": 2, "singletons": 2, "sr": 1.0}
    assert report.data["input"]["duplicate_documents"] == round(1 / 3, 6)


def test_keys_are_xxh3_of_separator_joined_strings_and_stable() -> None:
    frame = pl.DataFrame({"c": ["birth_date", None], "s": ["abraham lincoln", "x"], "o": ["1809-02-12", "y"]})
    keys = frame.select(p=prompt_hash(pl.col("c"), pl.col("s")), f=fact_hash(pl.col("c"), pl.col("s"), pl.col("o")))
    assert keys["p"][0] == xxhash.xxh3_64_intdigest(b"birth_date\x1fabraham lincoln")
    assert keys["f"][0] == xxhash.xxh3_64_intdigest(b"birth_date\x1fabraham lincoln\x1f1809-02-12")
    assert keys["p"][0] == 5093018933851140817  # pinned: keys must not change across versions
    assert keys["p"][1] is None and keys.schema["p"] == pl.UInt64


def test_document_hash_normalises_text() -> None:
    hashes = document_hash(pl.Series("text", ["Hello\u00a0 World\n", "  hello world", "ﬁne", "fine", "HELLO WORLDS", None]))
    assert hashes[0] == hashes[1] == xxhash.xxh3_64_intdigest(b"hello world")
    assert hashes[2] == hashes[3] and hashes[0] != hashes[4]
    assert hashes[5] is None and hashes.dtype == pl.UInt64
