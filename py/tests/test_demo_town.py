"""The same demo town in every layer: `tests/demo_town.json` gives, for a
seed and size, the journal's `seq` and `head` every layer must reach."""

import pytest

import precinct
from conftest import ROOT, cases

PATH = ROOT / "tests" / "demo_town.json"


def entries():
    if not PATH.exists():
        return []
    data = cases("demo_town.json")
    if isinstance(data, dict):  # {"about": ..., "<entries>": [...]}
        return next(v for v in data.values() if isinstance(v, list))
    return data


@pytest.mark.skipif(not PATH.exists(), reason=f"{PATH} is absent: the shared demo town figures are not written yet")
@pytest.mark.parametrize("town", entries(), ids=lambda t: f"{t['seed']}-{t['size']}")
def test_the_demo_town_is_the_same_everywhere(town):
    book = precinct.Book.demo(seed=town["seed"], small=town["size"] == "small")
    assert (book.seq, book.head) == (town["seq"], town["head"])
