"""Everything the core's facade offers is offered in Python: each FACADE
entry (`Book` -> `precinct.Book`, `Visits`, `StationKey`, `module` ->
`precinct`) and each query name (a method of `precinct.Book`)."""

import inspect

import pytest

import precinct

PLACES = {"Book": precinct.Book, "Visits": precinct.Visits, "StationKey": precinct.StationKey, "module": precinct}


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
