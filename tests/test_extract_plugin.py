"""A user's category from a plugin file (examples/plugin_category.py) extracts without editing the package."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from singleton.categories import load_plugin_file, registry, select
from singleton.cli import main
from singleton.extract import Extractor

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "plugin_category.py"


def test_example_plugin_extracts_its_category(nlp, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    (category,) = load_plugin_file(EXAMPLE)
    assert category.name == "baptism_date" and "baptism_date" in registry([EXAMPLE])
    docs = pl.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "William Shakespeare (1564–1616) was an English playwright. He was baptised on 26 April 1564.",
                "The ship was christened in 1912. Nothing else happened.",
            ],
        }
    )
    found = Extractor(select(["birth_date", "baptism_date"], plugins=[EXAMPLE])).extract(docs)
    assert set(found.select("doc_id", "category", "subject", "object_key").iter_rows()) == {
        ("a", "birth_date", "William Shakespeare", "1564"),
        ("a", "baptism_date", "William Shakespeare", "1564-04-26"),
    }  # "the ship" is no person
    assert main(["categories", "--plugin", str(EXAMPLE)]) == 0
    assert "baptism_date" in capsys.readouterr().out
