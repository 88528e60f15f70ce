"""Everything the core's facade offers is offered in Python: each FACADE
entry (`Book` -> `precinct.Book`, `Visits`, `StationKey`, `module` ->
`precinct`) and each query name (a method of `precinct.Book`)."""

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import precinct

PLACES = {
    "Book": precinct.Book,
    "DeviceBook": precinct.DeviceBook,
    "CheckpointChain": precinct.CheckpointChain,
    "Visits": precinct.Visits,
    "StationKey": precinct.StationKey,
    "module": precinct,
}


@pytest.mark.parametrize("on,name", precinct.facade(), ids=lambda x: str(x))
def test_every_facade_entry_is_in_python(on, name):
    assert hasattr(PLACES[on], name), f"{on}.{name} is missing in Python"


@pytest.mark.parametrize("name", precinct.query_names())
def test_every_query_is_a_book_method_with_a_signature_and_a_docstring(name):
    method = getattr(precinct.Book, name, None)
    assert callable(method), f"Book.{name} is missing"
    assert inspect.getdoc(method), f"Book.{name} has no docstring"
    assert "self" in inspect.signature(method).parameters


def test_the_lists_are_the_cores():
    assert "missing_reports" in precinct.query_names()
    assert ("Book", "execute") in precinct.facade()


def test_the_query_methods_are_written_from_the_cores_list():
    # _queries.py is generated from core/src/facade/queries.rs; a changed
    # argument or docstring there must reach Python too.
    root = Path(__file__).resolve().parents[2]
    script = root / "scripts" / "py_queries.py"
    if not script.exists():
        pytest.skip("scripts/py_queries.py is not in this checkout")
    run = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr or run.stdout
