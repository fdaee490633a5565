"""A synthetic corpus with known counts: documents that state chosen facts a chosen number of times.

Tests and demos need a corpus whose true `N`, singletons and `sr` per category and per domain are known
exactly; real text never gives that. Every fact is stated in plain sentences the extractor is built for
("Margaret Holloway was born on 12 March 1901."), each statement in a different document, so one
statement is one observation under `--unit doc`. Some documents are exact copies of others (in any
domain), so duplicate-document statistics have a known answer too.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

SCHEMA = "singleton.synth/1"
CATEGORIES = ("birth_date", "death_date", "birth_place", "death_place")

_FIRST = (
    "Margaret", "Thomas", "Eleanor", "William", "Harriet", "Edward", "Charlotte", "Frederick", "Beatrice", "Arthur",
    "Louisa", "Walter", "Florence", "Henry", "Ernest", "Richard", "Cecilia", "Albert", "Josephine", "Samuel",
    "Rosalind", "Benjamin", "Matilda", "Gilbert", "Winifred", "Leonard", "Evelyn", "Herbert", "Dorothy", "Oswald",
    "Lillian", "Bernard", "Clara", "Desmond", "Edith", "Francis", "Gertrude", "Horace", "Irene", "Julian",
)
_LAST = (
    "Holloway", "Whitfield", "Ashcombe", "Pemberton", "Radcliffe", "Fairbanks", "Thornbury", "Kingsley", "Lockwood",
    "Merriweather", "Blackwood", "Hargreaves", "Pennington", "Cartwright", "Dunmore", "Ellsworth", "Galloway",
    "Hawthorne", "Ingram", "Jennings", "Kendrick", "Langford", "Montague", "Northcott", "Oakley", "Prescott",
    "Bellamy", "Rutherford", "Sinclair", "Tennant", "Underhill", "Vickers", "Winslow", "Yardley", "Abernathy",
    "Bramwell", "Coleridge", "Davenport", "Everett", "Fitzgerald",
)
_PLACES = (
    "Boston", "Chicago", "Dublin", "Edinburgh", "Lisbon", "Madrid", "Munich", "Prague", "Vienna", "Warsaw",
    "Toronto", "Melbourne", "Dresden", "Bristol", "Denver", "Seattle", "Atlanta", "Baltimore", "Philadelphia",
    "Pittsburgh", "Cleveland", "Detroit", "Milwaukee", "Naples", "Florence", "Venice", "Geneva", "Zurich",
    "Brussels", "Amsterdam", "Copenhagen", "Stockholm", "Oslo", "Helsinki", "Budapest", "Hamburg", "Berlin",
    "Rome", "Marseille", "Seville", "Athens", "Cairo", "Montreal", "Ottawa", "Sydney", "Auckland",
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_FILLER = (
    "The town council approved the new budget after a long debate.",
    "Several newspapers reviewed the exhibition in glowing terms.",
    "The library holds a large collection of letters and notebooks.",
    "Critics have since praised the clarity of the writing.",
    "The family later moved to a larger house near the river.",
    "A second edition appeared with a new preface.",
    "The committee published its findings in a short report.",
    "Many of the early drawings were lost in a fire.",
    "The school expanded its curriculum to include music and drawing.",
    "Local historians continue to study the surviving records.",
    "The bridge over the river was rebuilt with stone.",
    "Visitors often remark on the quiet gardens behind the hall.",
    "The orchestra performed the piece to a full house.",
    "The society met every month to discuss new papers.",
    "An exhibition of the collection toured several cities.",
    "The museum acquired the portrait at auction.",
    "The company expanded its railway lines to the coast.",
    "Scholars disagree about the meaning of the final chapter.",
    "The harbour was busy with ships from many countries.",
    "The archive was catalogued and opened to researchers.",
)
_TEMPLATES = {
    "birth_date": ("{name} was born on {value}.", "{name} was born on {value} to a family of farmers."),
    "death_date": ("{name} died on {value}.", "{name} died on {value} after a short illness."),
    "birth_place": ("{name} was born in {value}.", "{name} was born in {value} and grew up there."),
    "death_place": ("{name} died in {value}.", "{name} died in {value} at the age of sixty."),
}


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. `repeats[k-1]` is the weight of a fact being stated in k documents."""

    documents: int = 2000
    people: int | None = None
    """Distinct people (default: documents / 4)."""
    shards: int = 4
    seed: int = 0
    domains: tuple[str, ...] = ("news.example.org", "blog.example.com", "wiki.example.net")
    domain_weights: tuple[float, ...] = (0.5, 0.3, 0.2)
    no_domain_share: float = 0.05
    """Documents without a URL (counted in categories, not in domains)."""
    duplicate_share: float = 0.1
    """Documents that are exact copies of another document."""
    fact_probability: float = 0.8
    """Chance that a person has a fact of a given category stated anywhere."""
    repeats: tuple[float, ...] = (0.55, 0.2, 0.1, 0.05, 0.04, 0.03, 0.03)
    categories: tuple[str, ...] = CATEGORIES
    row_group_rows: int = 256


@dataclass
class SynthCorpus:
    """The generated corpus: its shard files, the true observations, and the truth statistics."""

    paths: list[Path]
    documents: pl.DataFrame
    """id, text, url, domain: every document, in shard order."""
    facts: pl.DataFrame
    """One row per true observation: doc_id, domain, category, subject, subject_key, object, object_key."""
    truth: dict[str, Any] = field(default_factory=dict)


def _names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct "First Last" names (then "First Middle Last" once the pairs run out)."""
    pairs = [f"{first} {last}" for first in _FIRST for last in _LAST]
    rng.shuffle(pairs)
    if count <= len(pairs):
        return pairs[:count]
    if count > len(pairs) * (len(_FIRST) + 1):
        raise ValueError(f"at most {len(pairs) * (len(_FIRST) + 1)} people")
    triples = (f"{first} {middle} {last}" for middle in _FIRST for first, last in (pair.split() for pair in pairs) if middle != first)
    return pairs + [name for name, _ in zip(triples, range(count - len(pairs)))]


def _date(rng: random.Random, after: int | None = None) -> tuple[str, str, int]:
    """A random day (text, ISO key, year); with `after`, a year 20–90 years later."""
    year = rng.randint(1700, 1960) if after is None else after + rng.randint(20, 90)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    text = f"{day} {_MONTHS[month - 1]} {year}" if rng.random() < 0.5 else f"{_MONTHS[month - 1]} {day}, {year}"
    return text, f"{year:04d}-{month:02d}-{day:02d}", year


def _people_facts(config: SynthConfig, rng: random.Random) -> list[dict[str, str]]:
    """The facts of each person (one answer per prompt, as in the arbitrary-facts model)."""
    people = config.people if config.people is not None else max(1, config.documents // 4)
    facts: list[dict[str, str]] = []
    for name in _names(people, rng):
        birth_text, birth_key, birth_year = _date(rng)
        death_text, death_key, _ = _date(rng, after=birth_year)
        values = {
            "birth_date": (birth_text, birth_key),
            "death_date": (death_text, death_key),
            "birth_place": (place := rng.choice(_PLACES), place.casefold()),
            "death_place": (place := rng.choice(_PLACES), place.casefold()),
        }
        for category in config.categories:
            if rng.random() < config.fact_probability:
                text, key = values[category]
                facts.append({"category": category, "subject": name, "subject_key": name.casefold(), "object": text, "object_key": key})
    return facts


def _url(domain: str | None, index: int, rng: random.Random) -> str | None:
    if domain is None:
        return None
    host = rng.choice((domain, f"www.{domain}", f"WWW.{domain.upper()}"))  # all one domain once normalised
    port = ":8080" if rng.random() < 0.1 else ""
    return f"https://{host}{port}/articles/{index}"


def _documents(config: SynthConfig, rng: random.Random) -> list[dict[str, Any]]:
    """Documents (text, domain, facts stated), shuffled, before ids are assigned."""
    copies = round(config.documents * config.duplicate_share)
    originals = config.documents - copies
    if originals < len(config.repeats):
        raise ValueError(f"need at least {len(config.repeats)} original documents")
    statements: list[list[dict[str, str]]] = [[] for _ in range(originals)]
    for fact in _people_facts(config, rng):
        times = rng.choices(range(1, len(config.repeats) + 1), weights=config.repeats)[0]
        for slot in rng.sample(range(originals), times):
            statements[slot].append(fact)
    documents: list[dict[str, Any]] = []
    for facts in statements:
        sentences = [rng.choice(_TEMPLATES[f["category"]]).format(name=f["subject"], value=f["object"]) for f in facts]
        sentences += rng.sample(_FILLER, rng.randint(2, 6))
        rng.shuffle(sentences)
        documents.append({"text": " ".join(sentences), "facts": facts})
    for _ in range(copies):
        documents.append(dict(rng.choice(documents[:originals])))
    rng.shuffle(documents)
    for document in documents:
        has_domain = rng.random() >= config.no_domain_share
        document["domain"] = rng.choices(config.domains, weights=config.domain_weights)[0] if has_domain else None
    return documents


def _stats(observations: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """N, singletons and sr of observations grouped by `by` (+ category): the brute-force definition."""
    keys = [*by, "category"]
    prompts = observations.group_by([*keys, "subject_key"]).len()
    singletons = prompts.filter(pl.col("len") == 1).group_by(keys).len().rename({"len": "singletons"})
    return (
        observations.group_by(keys).len().rename({"len": "N"})
        .join(singletons, on=keys, how="left")
        .with_columns(pl.col("singletons").fill_null(0))
        .with_columns(sr=(pl.col("singletons") / pl.col("N")).round(6))
        .sort(keys)
    )


def truth_of(documents: pl.DataFrame, facts: pl.DataFrame) -> dict[str, Any]:
    """The true statistics of a corpus from its observations: per category (with dedup) and per domain."""
    categories = {row["category"]: {"N": row["N"], "singletons": row["singletons"], "sr": row["sr"]} for row in _stats(facts, []).iter_rows(named=True)}
    first_copy = documents.with_row_index("order").group_by("text").agg(pl.col("id").sort_by("order").first())
    unique = facts.join(first_copy.select(doc_id="id"), on="doc_id", how="semi")
    for row in _stats(unique, []).iter_rows(named=True):
        categories[row["category"]]["dedup"] = {"N": row["N"], "singletons": row["singletons"], "sr": row["sr"]}
    corpus_singletons = facts.group_by("category", "subject_key").len().filter(pl.col("len") == 1).drop("len")
    in_domains = facts.filter(pl.col("domain").is_not_null())
    global_hits = (
        in_domains.join(corpus_singletons, on=["category", "subject_key"], how="semi")
        .group_by("domain", "category").len().rename({"len": "global_singletons"})
    )
    per_domain = _stats(in_domains, ["domain"]).join(global_hits, on=["domain", "category"], how="left")
    domains: dict[str, dict[str, Any]] = {}
    for row in per_domain.iter_rows(named=True):
        domains.setdefault(row["domain"], {})[row["category"]] = {
            "N": row["N"], "singletons": row["singletons"], "sr": row["sr"],
            "sr_global": round((row["global_singletons"] or 0) / row["N"], 6),
        }
    distinct = documents["text"].n_unique()
    return {
        "schema": SCHEMA,
        "documents": documents.height,
        "duplicate_documents": round((documents.height - distinct) / documents.height, 6),
        "categories": dict(sorted(categories.items())),
        "domains": dict(sorted(domains.items())),
    }


def synth_corpus(out_dir: str | Path, config: SynthConfig | None = None) -> SynthCorpus:
    """Write `config.shards` parquet shards (id, text, url, domain) and truth.json into `out_dir`."""
    config = config or SynthConfig()
    rng = random.Random(config.seed)
    generated = _documents(config, rng)
    width = max(6, len(str(len(generated))))
    rows = [
        {"id": f"synth-{index:0{width}d}", "text": doc["text"], "url": _url(doc["domain"], index, rng), "domain": doc["domain"]}
        for index, doc in enumerate(generated)
    ]
    documents = pl.DataFrame(rows, schema={"id": pl.String, "text": pl.String, "url": pl.String, "domain": pl.String})
    facts = pl.DataFrame(
        [{"doc_id": row["id"], "domain": row["domain"], **fact} for row, doc in zip(rows, generated) for fact in doc["facts"]],
        schema={"doc_id": pl.String, "domain": pl.String, "category": pl.String, "subject": pl.String,
                "subject_key": pl.String, "object": pl.String, "object_key": pl.String},
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("synth-*.parquet"):  # an earlier corpus with more shards
        stale.unlink()
    per_shard = math.ceil(documents.height / config.shards)
    paths = []
    for shard in range(config.shards):
        path = out / f"synth-{shard:05d}.parquet"
        documents.slice(shard * per_shard, per_shard).write_parquet(path, row_group_size=config.row_group_rows)
        paths.append(path)
    truth = {**truth_of(documents, facts), "config": asdict(config)}
    (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    return SynthCorpus(paths, documents, facts, truth)
