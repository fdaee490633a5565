"""Shared fixtures: the spaCy pipeline is loaded once per test session (it is the slow part of every test)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The default spaCy pipeline, loaded once (the extractor's per-process cache shares it)."""
    from singleton.extract import load_model

    return load_model()
