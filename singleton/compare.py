"""Check the forecast against a real model: its answers to fact questions, joined to the corpus's counts.

Each answer line is one question `{"category", "subject", "answer"}` (optional `"gold"`). The question's
training count is the prompt's answered observations `n` in DIR/prompts.parquet (0 when absent); the truth is
`gold`, else the corpus's most frequent answer; an answer compatible with the truth (math.md §5) is correct.
The hallucination rate per count bucket is the curve Kandpal et al. (2023) drew for QA accuracy.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from singleton import plots
from singleton.canonical import date_key, name_key, place_key
from singleton.categories import registry, rule_for
from singleton.count import with_forms
from singleton.errors import SingletonError
from singleton.report import load_report, write_atomically

SCHEMA = "singleton.compare/1"

BUCKETS = ("0", "1", "2", "3–4", "5–8", "9–16", "17+")
"""Training-count buckets: 0, 1, 2, then doubling ranges, as in Kandpal et al.'s document-count plots."""

ABSTENTIONS = frozenset({"", "idk", "i don't know", "i do not know", "unknown"})
"""Answers (case-folded, trimmed) that abstain: IDK is not an error (math.md §1)."""

LISTED_LINES = 20
"""Malformed or skipped line numbers listed in compare.json (all are counted)."""

_ISO_DATE = re.compile(r"-?\d{4}(?:-\d{2}(?:-\d{2})?)?")


def value_key(rule: str, text: str) -> str:
    """An answer's canonical key, comparable with the corpus's object keys: ISO dates, folded places.

    An ISO key is kept as written; a date that does not parse keeps its folded text (it then matches nothing).
    """
    if rule == "date":
        text = text.strip()
        if _ISO_DATE.fullmatch(text):
            return text
        parsed = date_key(text)
        return parsed[0] if parsed is not None else place_key(text)
    return place_key(text)


def _line_error(record: Any) -> str | None:
    """Why a parsed line is not a question, or None when it is one."""
    if not isinstance(record, dict):
        return "not a JSON object"
    for field in ("category", "subject"):
        if not isinstance(record.get(field), str) or not record[field].strip():
            return f"`{field}` must be a non-empty string"
    if "answer" not in record:
        return "no `answer` (use \"IDK\" or null to abstain)"
    for field in ("answer", "gold"):
        if record.get(field) is not None and not isinstance(record[field], str):
            return f"`{field}` must be a string or null"
    if not name_key(record["subject"]):
        return "`subject` has no letters or digits"
    return None


def read_answers(path: str | Path, known: Sequence[str]) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The valid questions of an answers file, and what was left out: malformed lines, unknown categories.

    Bad lines never stop the run; a file with no valid line is error E011, one with only unknown categories E004.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise SingletonError("E011", f"cannot read answers file {str(path)!r}: {error.strerror}") from error
    rows: list[dict[str, Any]] = []
    malformed: list[dict[str, Any]] = []
    unknown: dict[str, list[int]] = {}
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            malformed.append({"line": number, "error": f"not valid JSON: {error}"})
            continue
        problem = _line_error(record)
        if problem is not None:
            malformed.append({"line": number, "error": problem})
        elif record["category"] not in known:
            unknown.setdefault(record["category"], []).append(number)
        else:
            rows.append({"line": number, "category": record["category"], "subject": record["subject"],
                         "answer": record["answer"], "gold": record.get("gold")})
    skipped = {
        "malformed": len(malformed), "malformed_lines": malformed[:LISTED_LINES],
        "unknown_categories": {name: {"lines": len(lines), "first_lines": lines[:LISTED_LINES]}
                               for name, lines in sorted(unknown.items())},
    }
    if not rows:
        if unknown:
            names = ", ".join(sorted(unknown))
            raise SingletonError("E004", f"no answer line is about a category of the report: {names} not in it "
                                 f"(it has: {', '.join(known) or 'none'})")
        where = f"; malformed lines: {', '.join(str(item['line']) for item in malformed[:5])}" if malformed else ""
        raise SingletonError("E011", f"no valid answer line in {str(path)!r}{where}")
    return pl.DataFrame(rows, schema={"line": pl.Int64(), "category": pl.String(), "subject": pl.String(),
                                      "answer": pl.String(), "gold": pl.String()}), skipped


def _canonical(questions: pl.DataFrame, rules: Mapping[str, str]) -> pl.DataFrame:
    """Subject keys and answer/gold keys by each category's rule; `abstained` for IDK-like answers."""
    keyed = [
        {
            "subject_key": name_key(row["subject"]),
            "abstained": row["answer"] is None or row["answer"].strip().casefold() in ABSTENTIONS,
            "answer_key": None if row["answer"] is None else value_key(rules[row["category"]], row["answer"]),
            "gold_key": None if row["gold"] is None else value_key(rules[row["category"]], row["gold"]),
        }
        for row in questions.iter_rows(named=True)
    ]
    return pl.concat([questions, pl.DataFrame(keyed, schema={"subject_key": pl.String(), "abstained": pl.Boolean(),
                                                             "answer_key": pl.String(), "gold_key": pl.String()})],
                     how="horizontal")


def _compatible(frame: pl.DataFrame, left: str, right: str) -> pl.Series:
    """Whether two answer columns agree by the row's rule (math.md §5), with count.py's forms of each answer:
    equal, or one among the other's coarser forms ("1809" of "1809-02-12", "canada" of "toronto, …, canada")."""
    a, b = (with_forms(frame.select("rule", object_key=pl.col(column).fill_null(""))) for column in (left, right))
    pairs = pl.DataFrame({"a": a["norm"], "b": b["norm"], "a_coarser": a["coarser"], "b_coarser": b["coarser"]})
    agree = ((pl.col("a") == pl.col("b")) | pl.col("b_coarser").list.contains(pl.col("a"))
             | pl.col("a_coarser").list.contains(pl.col("b")))
    return pairs.select(agree.fill_null(False)).to_series()


def judge(directory: str | Path, questions: pl.DataFrame) -> pl.DataFrame:
    """Per question: training count `n`, count bucket, truth, and verdict (correct, wrong, abstained, unverifiable)."""
    prompts_path = Path(directory) / "prompts.parquet"
    if not prompts_path.is_file():
        raise SingletonError("E007", f"no prompts.parquet in {str(directory)!r}; run `singleton scan` or "
                             "`singleton count` first")
    known = registry()
    rules = {name: rule_for(name, known) for name in questions["category"].unique()}
    questions = _canonical(questions, rules).with_columns(
        rule=pl.col("category").replace_strict(rules, return_dtype=pl.String()))
    wanted = questions.select("category", "subject_key").unique()
    counts = (pl.scan_parquet(prompts_path).select("category", "subject_key", "n", "top_answer")
              .join(wanted.lazy(), on=["category", "subject_key"], how="semi").collect())
    joined = questions.join(counts, on=["category", "subject_key"], how="left", maintain_order="left")
    joined = joined.with_columns(n=pl.col("n").fill_null(0), truth=pl.coalesce("gold_key", "top_answer"))
    correct = _compatible(joined, "answer_key", "truth")
    log2 = pl.col("n").cast(pl.Float64()).log(2).ceil().cast(pl.Int64())
    bucket = pl.when(pl.col("n") == 0).then(0).otherwise((log2 + 1).clip(upper_bound=len(BUCKETS) - 1))
    verdict = (pl.when(pl.col("truth").is_null()).then(pl.lit("unverifiable"))
               .when(pl.col("abstained")).then(pl.lit("abstained"))
               .when(correct).then(pl.lit("correct")).otherwise(pl.lit("wrong")))
    return joined.with_columns(bucket=bucket.cast(pl.Int64()), verdict=verdict).sort("line")


def _rates(frame: pl.DataFrame) -> dict[str, Any]:
    """Counts of each verdict and the rates over verifiable questions (unverifiable ones are left out)."""
    verdicts = Counter(frame["verdict"].to_list())
    verifiable = verdicts["correct"] + verdicts["wrong"] + verdicts["abstained"]
    answered = verdicts["correct"] + verdicts["wrong"]

    def share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    return {
        "questions": frame.height, "unverifiable": verdicts["unverifiable"], "verifiable": verifiable,
        "correct": verdicts["correct"], "wrong": verdicts["wrong"], "abstained": verdicts["abstained"],
        "hallucination_rate": share(verdicts["wrong"], verifiable),
        "abstention_rate": share(verdicts["abstained"], verifiable),
        "accuracy": share(verdicts["correct"], verifiable),
        "wrong_when_answering": share(verdicts["wrong"], answered),
    }


def _by_count(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The rates in each training-count bucket that has questions."""
    return [{"bucket": label, **_rates(frame.filter(pl.col("bucket") == index))}
            for index, label in enumerate(BUCKETS) if (frame["bucket"] == index).any()]


def _forecast(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The report's forecast for a category, to set beside the measured rates."""
    return {key: fields.get(key) for key in ("sr", "sr_interval", "theorem2_lower", "theorem2_upper", "N")}


def compare(directory: str | Path, answers_path: str | Path) -> dict[str, Any]:
    """compare.json's content: hallucination, abstention and accuracy by training count, per category and in all."""
    report = load_report(directory)
    questions, skipped = read_answers(answers_path, list(report["categories"]))
    judged = judge(directory, questions)
    categories = {}
    for name in sorted(judged["category"].unique().to_list()):
        mine = judged.filter(pl.col("category") == name)
        singles = _rates(mine.filter(pl.col("n") == 1))
        categories[name] = {
            "forecast": _forecast(report["categories"][name]),
            "overall": _rates(mine),
            "singletons": singles,
            "by_count": _by_count(mine),
        }
    notes = [
        "Rates are over verifiable questions: a question is unverifiable when it has no gold answer and the "
        "corpus never answers its prompt; those are counted, not rated.",
        "IDK is not an error: hallucination_rate = wrong / verifiable; accuracy = correct / verifiable.",
        "The forecast sr is for questions drawn like the corpus's facts; compare it with the rate on singleton "
        "facts, and read the overall rate as the rate on this question set only.",
    ]
    if questions["gold"].is_null().any():
        notes.append("Without `gold`, the truth is the corpus's most frequent answer: the rate measures "
                     "disagreement with the corpus, which is not always the world.")
    return {
        "schema": SCHEMA,
        "answers": Path(answers_path).name,
        "buckets": list(BUCKETS),
        "skipped": skipped,
        "all": {"overall": _rates(judged), "by_count": _by_count(judged)},
        "categories": categories,
        "notes": notes,
    }


def compare_plot(result: Mapping[str, Any]) -> str:
    """Hallucination rate (solid) and accuracy (dotted) by training count, with each category's forecast sr."""
    figure, axes = plots.new_figure(3.8)
    for index, (name, fields) in enumerate(result["categories"].items()):
        rows = [row for row in fields["by_count"] if row["verifiable"]]
        positions = [BUCKETS.index(row["bucket"]) for row in rows]
        colour = plots.colour(index)
        axes.plot(positions, [row["hallucination_rate"] for row in rows], marker="o", color=colour,
                  label=f"{name}: hallucination rate")
        axes.plot(positions, [row["accuracy"] for row in rows], marker=".", linestyle=":", color=colour,
                  label=f"{name}: accuracy")
        axes.axhline(fields["forecast"]["sr"], linestyle="--", linewidth=1, color=colour,
                     label=f"{name}: forecast sr")
    axes.set_xticks(range(len(BUCKETS)), BUCKETS)
    axes.set_xlim(-0.3, len(BUCKETS) - 0.7)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("training count of the question's prompt (answered observations in the corpus)")
    axes.set_ylabel("share of verifiable questions")
    axes.set_title("The model's answers by how often the corpus states the fact")
    axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return plots.to_svg(figure, "compare")


def write_compare(result: Mapping[str, Any], out_dir: str | Path) -> list[Path]:
    """`compare.json` and `compare.svg` in out_dir (created if needed); returns the paths written."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "compare.json", directory / "compare.svg"]
    write_atomically(paths[0], json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    write_atomically(paths[1], compare_plot(result) + "\n")
    return paths


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def compare_table(result: Mapping[str, Any]) -> str:
    """The result for the terminal: per category and count bucket, then singletons against the forecast."""
    header = ("category", "count", "questions", "unverifiable", "correct", "wrong", "IDK", "halluc.", "abstain")
    lines = [header]
    for name, fields in result["categories"].items():
        for row in [*fields["by_count"], {"bucket": "all", **fields["overall"]}]:
            lines.append((name, row["bucket"], str(row["questions"]), str(row["unverifiable"]), str(row["correct"]),
                          str(row["wrong"]), str(row["abstained"]), _percent(row["hallucination_rate"]),
                          _percent(row["abstention_rate"])))
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in lines]
    for name, fields in result["categories"].items():
        forecast, singles = fields["forecast"], fields["singletons"]
        low, high = forecast["sr_interval"]
        text.append(f"{name}: hallucination on singleton facts {_percent(singles['hallucination_rate'])} "
                    f"({singles['verifiable']} questions) against the forecast sr {_percent(forecast['sr'])} "
                    f"(interval {_percent(low)}–{_percent(high)})")
    unverifiable = result["all"]["overall"]["unverifiable"]
    if unverifiable:
        text.append(f"{unverifiable} questions are unverifiable (no gold, and the corpus never answers their "
                    "prompt): counted, left out of the rates")
    return "\n".join(text)
