"""Shared fixtures: the repository's cross-language cases in `tests/` and
the peer vectors in `../shared/data` (tests needing them skip, saying so)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Dict, List

import pytest

import precinct

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"


def cases(name: str) -> dict:
    """A JSON file of shared cases from the repository's `tests/`."""
    return json.loads((ROOT / "tests" / name).read_text(encoding="utf-8"))


def shared_rows(relative: str) -> List[Dict[str, str]]:
    """Rows of a CSV in ../shared/data; skips the test when it is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: the peer vectors are not on this machine")
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def demo() -> precinct.Book:
    """The small demo town's book (its journal in memory); do not change it."""
    return precinct.Book.demo(seed=7, small=True)
