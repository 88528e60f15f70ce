"""The shared record-book scenarios (`tests/book_scenarios.json`), run
through the named Python methods: commands through `execute`, queries
through `getattr(book, name)(**args)`, answers compared in their JSON form
(times as ISO 8601 in the policy's zone, days as YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt
import inspect
import keyword
from typing import Any

import pytest

import precinct
from conftest import ROOT, cases

PATH = ROOT / "tests" / "book_scenarios.json"
SCENARIOS = cases("book_scenarios.json")["scenarios"] if PATH.exists() else []


def as_json(value: Any) -> Any:
    """A native answer in the JSON form of the shared files."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, precinct.Table):
        return [as_json(row) for row in rows(value)]
    if isinstance(value, precinct.Report):
        return as_json(value.figures)
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value


def rows(table: precinct.Table) -> list:
    columns = table.to_dict()
    return [{name: columns[name][i] for name in columns} for i in range(len(table))]


def arguments(request: dict) -> dict:
    """Keyword arguments of a request: a field named like a Python keyword
    (`from`) is the parameter with a trailing underscore (`from_`)."""
    return {(k + "_" if keyword.iskeyword(k) else k): v for k, v in request.items()}


def fits(method, kwargs: dict) -> bool:
    try:
        inspect.signature(method).bind(**kwargs)
    except TypeError:
        return False
    return True


@pytest.mark.skipif(not SCENARIOS, reason=f"{PATH} is absent: the shared book scenarios are not written yet")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s["name"][:50])
def test_book_scenario(scenario):
    book = precinct.Book.in_memory(policy=scenario["policy"])
    for i, step in enumerate(scenario["steps"]):
        where = f"{scenario['name']}, step {i + 1}"
        if "command" in step:
            run = lambda: book.execute(step["command"], by=step["by"], at=step["at"])  # noqa: E731
        else:
            request = dict(step["query"])
            method = getattr(book, request.pop("query"), None)
            if method is None or not fits(method, arguments(request)):
                # Python refuses an unknown method or a call that does not fit
                # its signature itself (AttributeError, TypeError); the core's
                # answer to such a request is what `query` gives.
                assert "error" in step, f"{where}: {step['query']} does not fit its Python method"
                run = lambda: book.query(step["query"])  # noqa: E731
            else:
                run = lambda: method(**arguments(request))  # noqa: E731
        if "error" in step:
            with pytest.raises(precinct.PrecinctError) as e:
                run()
            assert e.value.code == step["error"], where
            continue
        got = run()
        if "receipt" in step:
            assert {"seq": got["seq"], "outcome": as_json(got["outcome"])} == step["receipt"], where
        else:
            assert as_json(got) == step["answer"], where
