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
        return [as_json(row) for row in value]
    if isinstance(value, precinct.ChainReport):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, precinct.Report):
        return as_json(value.figures)
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value


def flattened(record: dict) -> tuple:
    """A nested answer record as a Table's row holds it: field `b` of a
    record in field `a` as `a_b`; a list of records in field `a` as one
    list per field `b`, `a_b`, None where a record lacks `b` (written here
    from the rule's statement, to check the core's flattening against it).
    Also the lengths of the lists of records, by field."""
    out: dict = {}
    lists: dict = {}
    for key, value in record.items():
        if isinstance(value, dict):
            inner, inner_lists = flattened(value)
            out.update({f"{key}_{k}": v for k, v in inner.items()})
            lists.update({f"{key}_{k}": n for k, n in inner_lists.items()})
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = [flattened(v)[0] for v in value]
            names = list(dict.fromkeys(k for item in items for k in item))
            out.update({f"{key}_{k}": [item.get(k) for item in items] for k in names})
            lists[key] = len(value)
        else:
            out[key] = value
    return out, lists


def as_table_json(expected: Any) -> Any:
    """The shared answer as a Table gives it: a list of records flattened,
    and a chain report's lists of records each flattened. A row without a
    column has None there, one None per record of a list of records it
    has, or an empty list where that list is empty."""
    if isinstance(expected, list) and all(isinstance(r, dict) for r in expected):
        rows = [flattened(r) for r in expected]
        names = list(dict.fromkeys(k for r, _ in rows for k in r))
        parents = [n for n in names if any(o.startswith(n + "_") for o in names) and all(r.get(n, []) == [] for r, _ in rows)]

        def missing(row: dict, lists: dict, name: str) -> Any:
            for parent, n in lists.items():
                if name.startswith(parent + "_"):
                    return [None] * n
            if any(name.startswith(p + "_") and row.get(p) == [] for p in parents):
                return []
            return None

        return [{n: r[n] if n in r else missing(r, lists, n) for n in names if n not in parents} for r, lists in rows]
    if isinstance(expected, dict):
        return {k: as_table_json(v) if isinstance(v, list) else v for k, v in expected.items()}
    return expected


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
        elif isinstance(got, (precinct.Table, precinct.ChainReport)) or (
            isinstance(got, dict) and any(isinstance(v, precinct.Table) for v in got.values())
        ):
            assert as_json(got) == as_table_json(step["answer"]), where
            # The same answer as records, from `query`.
            assert as_json(book.query(step["query"])) == step["answer"], where
        else:
            assert as_json(got) == step["answer"], where
