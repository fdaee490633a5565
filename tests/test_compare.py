"""`singleton compare`: planted hallucinations come back per training-count bucket; bad lines are reported."""

import json
from pathlib import Path

import polars as pl
import pytest

from singleton import compare, count
from singleton.cli import main
from singleton.errors import SingletonError

# Per bucket: the corpus counts used (cycled), then how many of 20 questions are planted wrong and abstained.
PLAN = {
    "0": ((0,), 12, 4),
    "1": ((1,), 10, 3),
    "2": ((2,), 8, 2),
    "3–4": ((3, 4), 6, 2),
    "5–8": ((5, 8), 4, 1),
    "9–16": ((9, 16), 2, 1),
    "17+": ((17, 30), 1, 0),
}
QUESTIONS_PER_BUCKET = 20
UNVERIFIABLE = 5
"""Extra questions about people the corpus never answers for, without gold."""


def _truth(category: str, index: int) -> str:
    if category == "birth_date":
        return f"{1700 + index}-0{1 + index % 9}-1{index % 10}"
    return f"town{index}, county{index % 5}, country{index % 3}"


def _right(category: str, index: int) -> str:
    """A correct answer in one of three forms: the key itself, as a person writes it, or a coarser value."""
    truth = _truth(category, index)
    if category == "birth_date":
        year, month, day = truth.split("-")
        months = ("January", "February", "March", "April", "May", "June", "July", "August", "September")
        return (truth, f"{int(day)} {months[int(month) - 1]} {year}", year)[index % 3]
    return (truth, truth.title(), truth.split(", ")[-1])[index % 3]


def _wrong(category: str, index: int) -> str:
    return f"{1500 + index}-01-01" if category == "birth_date" else f"elsewhere{index}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """A real count over planted facts, and an answers file with planted verdicts per bucket."""
    root = tmp_path_factory.mktemp("compare")
    facts, lines = [], []
    index = 0
    for category in ("birth_date", "birth_place"):
        for bucket, (counts, wrong, abstained) in PLAN.items():
            for question in range(QUESTIONS_PER_BUCKET):
                index += 1
                subject = f"Person {index} Example"
                for doc in range(counts[question % len(counts)]):
                    facts.append({"doc_id": f"{index}-{doc}", "category": category,
                                  "subject_key": subject.lower(), "object_key": _truth(category, index)})
                if question < wrong:
                    answer = _wrong(category, index)
                elif question < wrong + abstained:
                    answer = ("IDK", "", None, "I don't know")[question % 4]
                else:
                    answer = _right(category, index)
                written = (subject, f"Dr. {subject}", subject.upper())[question % 3]
                line = {"category": category, "subject": written, "answer": answer}
                if bucket == "0":
                    line["gold"] = _truth(category, index)
                lines.append(json.dumps(line))
        for extra in range(UNVERIFIABLE):
            lines.append(json.dumps({"category": category, "subject": f"Nobody {extra}", "answer": "1900"}))
    pl.DataFrame(facts).write_parquet(root / "facts.parquet")
    count.count([root / "facts.parquet"], root / "run")
    answers = root / "answers.jsonl"
    answers.write_text("\n".join(lines) + "\n")
    return root / "run", answers


@pytest.fixture(scope="module")
def result(corpus):
    return compare.compare(*corpus)


@pytest.mark.parametrize("category", ["birth_date", "birth_place"])
def test_planted_rates_come_back_per_bucket(result, category):
    rows = {row["bucket"]: row for row in result["categories"][category]["by_count"]}
    assert list(rows) == list(compare.BUCKETS)
    for bucket, (_, wrong, abstained) in PLAN.items():
        row = rows[bucket]
        unverifiable = UNVERIFIABLE if bucket == "0" else 0
        assert row["questions"] == QUESTIONS_PER_BUCKET + unverifiable
        assert row["unverifiable"] == unverifiable
        assert (row["wrong"], row["abstained"]) == (wrong, abstained)
        assert row["correct"] == QUESTIONS_PER_BUCKET - wrong - abstained
        assert row["hallucination_rate"] == pytest.approx(wrong / QUESTIONS_PER_BUCKET)
        assert row["abstention_rate"] == pytest.approx(abstained / QUESTIONS_PER_BUCKET)


def test_singletons_are_set_beside_the_forecast(result, corpus):
    report = json.loads((corpus[0] / "report.json").read_text())
    for category, fields in result["categories"].items():
        assert fields["forecast"]["sr"] == report["categories"][category]["sr"]
        assert fields["forecast"]["sr_interval"] == report["categories"][category]["sr_interval"]
        assert fields["singletons"]["hallucination_rate"] == pytest.approx(PLAN["1"][1] / QUESTIONS_PER_BUCKET)
    overall = result["all"]["overall"]
    assert overall["questions"] == 2 * (len(PLAN) * QUESTIONS_PER_BUCKET + UNVERIFIABLE)
    assert overall["unverifiable"] == 2 * UNVERIFIABLE
    assert overall["wrong"] == 2 * sum(wrong for _, wrong, _ in PLAN.values())
    assert any("unverifiable" in note for note in result["notes"])


def test_bucket_edges_and_training_counts(corpus):
    questions = pl.DataFrame(
        {"line": [1, 2, 3, 4], "category": ["birth_date"] * 4, "answer": ["x"] * 4, "gold": [None] * 4,
         "subject": ["Person 61 Example", "Person 62 Example", "Person 1 Example", "Nobody"]}
    )
    judged = compare.judge(corpus[0], questions)
    # persons 61-80 sit in "3–4" with counts 3, 4 alternating; person 1 is in bucket 0 (absent from the corpus)
    assert judged["n"].to_list() == [3, 4, 0, 0]
    assert [compare.BUCKETS[i] for i in judged["bucket"]] == ["3–4", "3–4", "0", "0"]
    assert judged["verdict"].to_list() == ["wrong", "wrong", "unverifiable", "unverifiable"]


@pytest.mark.parametrize(
    ("rule", "answer", "truth", "expected"),
    [
        ("date", "1809", "1809-02-12", True),
        ("date", "1809-02-12", "1809", True),
        ("date", "180", "1809-02-12", False),
        ("date", "1809-02-13", "1809-02-12", False),
        ("date", "-0384", "-0384-06", True),
        ("place", "kentucky", "washington, kentucky", True),
        ("place", "canada", "toronto, ontario, canada", True),
        ("place", "ontario, canada", "toronto, ontario, canada", True),
        ("place", "toronto", "toronto, ontario, canada", False),
        ("place", "tucky", "washington, kentucky", False),
        ("equal", "red", "red", True),
        ("equal", "red", "reddish", False),
    ],
)
def test_compatibility_rules(rule, answer, truth, expected):
    frame = pl.DataFrame({"rule": [rule], "answer_key": [answer], "truth": [truth]})
    assert compare._compatible(frame, "answer_key", "truth").to_list() == [expected]


@pytest.mark.parametrize(
    ("rule", "written", "key"),
    [("date", "12 February 1809", "1809-02-12"), ("date", "1809-02-12", "1809-02-12"), ("date", "384 BC", "-0384"),
     ("date", "sometime in spring", "sometime in spring"), ("place", " The Hague, Netherlands. ", "hague, netherlands")],
)
def test_answer_keys(rule, written, key):
    assert compare.value_key(rule, written) == key


def test_gold_overrides_the_corpus(corpus, tmp_path):
    answers = tmp_path / "gold.jsonl"
    first = {"category": "birth_date", "subject": "Person 21 Example", "answer": "1999", "gold": "1999-05-05"}
    second = {"category": "birth_date", "subject": "Person 21 Example", "answer": _truth("birth_date", 21),
              "gold": "1999-05-05"}
    answers.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n")
    rows = compare.compare(corpus[0], answers)["categories"]["birth_date"]["by_count"]
    assert [(row["bucket"], row["correct"], row["wrong"]) for row in rows] == [("1", 1, 1)]
    assert not any("most frequent answer" in note for note in compare.compare(corpus[0], answers)["notes"])


def test_malformed_lines_are_counted_with_their_numbers(corpus, tmp_path):
    answers = tmp_path / "bad.jsonl"
    good = json.dumps({"category": "birth_date", "subject": "Person 21 Example", "answer": "1999"})
    answers.write_bytes(b"\n".join([
        good.encode(),                                     # 1 valid
        b"{not json",                                      # 2
        b"[1, 2]",                                         # 3 not an object
        json.dumps({"category": "birth_date", "answer": "1"}).encode(),  # 4 no subject
        json.dumps({"category": "birth_date", "subject": "A B"}).encode(),  # 5 no answer
        json.dumps({"category": "birth_date", "subject": "A B", "answer": 1809}).encode(),  # 6 answer not a string
        b"\xff\xfe{\"category\": 1}",                      # 7 invalid UTF-8
        b"",                                               # 8 blank: ignored
        json.dumps({"category": "death_place", "subject": "A B", "answer": "x"}).encode(),  # 9 unknown category
        json.dumps({"category": "birth_date", "subject": "...", "answer": "1"}).encode(),  # 10 empty name key
        good.encode(),                                     # 11 valid
    ]))
    result = compare.compare(corpus[0], answers)
    skipped = result["skipped"]
    assert skipped["malformed"] == 7
    assert [item["line"] for item in skipped["malformed_lines"]] == [2, 3, 4, 5, 6, 7, 10]
    assert skipped["unknown_categories"] == {"death_place": {"lines": 1, "first_lines": [9]}}
    assert result["all"]["overall"]["questions"] == 2


@pytest.mark.parametrize(
    ("lines", "code"),
    [([b"{oops", b"[]"], "E011"), ([b""], "E011"),
     ([json.dumps({"category": "death_place", "subject": "A", "answer": "x"}).encode()], "E004")],
)
def test_no_usable_line_is_a_one_line_error(corpus, tmp_path, lines, code):
    answers = tmp_path / "none.jsonl"
    answers.write_bytes(b"\n".join(lines))
    with pytest.raises(SingletonError) as caught:
        compare.compare(corpus[0], answers)
    assert caught.value.code == code


def test_missing_inputs_are_errors(corpus, tmp_path):
    with pytest.raises(SingletonError) as caught:
        compare.compare(corpus[0], tmp_path / "absent.jsonl")
    assert caught.value.code == "E011"
    with pytest.raises(SingletonError) as caught:
        compare.compare(tmp_path, corpus[1])
    assert caught.value.code == "E007"


def test_cli_prints_writes_and_is_deterministic(corpus, tmp_path, capsys):
    run, answers = corpus
    broken = tmp_path / "answers.jsonl"
    broken.write_text(answers.read_text() + "{broken\n")
    assert main(["compare", str(run), str(broken), "--out", str(tmp_path / "a")]) == 0
    captured = capsys.readouterr()
    assert main(["compare", str(run), str(broken), "--out", str(tmp_path / "b")]) == 0
    assert "malformed" in captured.err and "hallucination on singleton facts" in captured.out
    assert "unverifiable" in captured.out
    for name in ("compare.json", "compare.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert json.loads((tmp_path / "a" / "compare.json").read_text())["schema"] == compare.SCHEMA
    assert (tmp_path / "a" / "compare.svg").read_text().startswith("<svg")
