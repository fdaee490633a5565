"""Rebuild the sample shards in this folder: `python data/samples/make_samples.py` (from the repository root).

wiki-sample.parquet: the wiki-dev articles that state birth/death facts, plus two articles of hard negatives
(cues without such facts). synthetic.parquet: `singleton synth` output with known counts (synthetic.truth.json).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
WIKI_DEV = HERE.parents[1].parent / "shared" / "data" / "wiki-dev" / "articles.parquet"
ARTICLES = (
    "Abraham Lincoln", "Aldous Huxley", "Allan Dwan", "Andrei Tarkovsky", "Aristotle", "Astronaut",
    "Albert Sidney Johnston", "Algeria", "Anarchism", "Andre Agassi", "Animal (disambiguation)", "Animal Farm",
    "Atlantic Ocean", "Ampere", "Alberta", "Algae", "Achilles", "Academy Awards",
)


def main(wiki_dev: Path = WIKI_DEV) -> None:
    """Write wiki-sample.parquet, synthetic.parquet and synthetic.truth.json next to this script."""
    sys.path.insert(0, str(HERE.parents[1]))
    from singleton.synth import SynthConfig, synth_corpus

    articles = pl.read_parquet(wiki_dev).filter(pl.col("title").is_in(ARTICLES)).sort("id")
    articles.select("id", "title", "url", "text").write_parquet(HERE / "wiki-sample.parquet", row_group_size=6)
    with tempfile.TemporaryDirectory() as work:
        synth_corpus(work, SynthConfig(documents=1000, shards=1, seed=0))
        shutil.copy(Path(work) / "synth-00000.parquet", HERE / "synthetic.parquet")
        shutil.copy(Path(work) / "truth.json", HERE / "synthetic.truth.json")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else WIKI_DEV)
