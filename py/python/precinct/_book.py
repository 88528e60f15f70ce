"""The public record book: a thin class around the compiled one (as
py-polars wraps its compiled frame), with one method per query of the core
(`_queries.Queries`, written from the core's list) and the report."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _precinct
from ._queries import Queries, _Moment

_Policy = Union[str, Dict[str, Any], None]
from ._table import Report
from ._precinct import StationKey, Visits


class Book(Queries):
    """The station's record book: every change a command, journaled and
    replayable. Every query of the core is a method of the same name."""

    __slots__ = ("_book",)

    def __init__(self, book: _precinct.Book) -> None:
        self._book = book

    @staticmethod
    def create(path: Union[str, os.PathLike], *, policy: _Policy = None) -> "Book":
        """Create a journal file for a new station."""
        return Book(_precinct.Book.create(path, policy=policy))

    @staticmethod
    def open(path: Union[str, os.PathLike]) -> "Book":
        """Open a journal file and replay it."""
        return Book(_precinct.Book.open(path))

    @staticmethod
    def open_or_create(path: Union[str, os.PathLike], *, policy: _Policy = None) -> "Book":
        """Open the journal at `path`, or create it."""
        return Book(_precinct.Book.open_or_create(path, policy=policy))

    @staticmethod
    def in_memory(*, policy: _Policy = None) -> "Book":
        """A new station whose journal is kept in memory."""
        return Book(_precinct.Book.in_memory(policy=policy))

    @staticmethod
    def open_text(text: str) -> "Book":
        """Replay a journal held as text."""
        return Book(_precinct.Book.open_text(text))

    @staticmethod
    def from_snapshot(snapshot: Dict[str, Any]) -> "Book":
        """A book in memory starting from a snapshot (as `snapshot()` gave it)."""
        return Book(_precinct.Book.from_snapshot(snapshot))

    @staticmethod
    def demo(*, seed: int = 2020, small: bool = False) -> "Book":
        """The demo town's story written into a new book in memory."""
        return Book(_precinct.Book.demo(seed=seed, small=small))

    def execute(self, command: Dict[str, Any], *, by: str, at: _Moment) -> Dict[str, Any]:
        """Validate, journal and apply one command (a dict with a `type`);
        naive times are read in the policy's zone. Returns the receipt."""
        return self._book.execute(command, by=by, at=at)

    def execute_batch(self, entries: Sequence[Tuple[str, _Moment, Dict[str, Any]]]) -> List[Dict[str, Any]]:
        """Several `(by, at, command)` entries synced once. Stops at the first
        refused one and raises; the ones before it are kept and synced."""
        return self._book.execute_batch(entries)

    def query(self, request: Dict[str, Any]) -> Any:
        """Answer a query given by name (`{"query": "missing_reports", "day": ...}`)."""
        return self._book.query(request)

    @property
    def seq(self) -> int:
        """Sequence number of the last event."""
        return self._book.seq

    @property
    def head(self) -> str:
        """Hash of the journal's last line, to write down elsewhere."""
        return self._book.head

    @property
    def recovery(self) -> Dict[str, Any]:
        """What opening the journal found (events replayed, a torn line dropped ...)."""
        return self._book.recovery

    @property
    def journal_text(self) -> Optional[str]:
        """The journal's text when it is kept in memory, else None."""
        return self._book.journal_text

    @property
    def policy(self) -> Dict[str, Any]:
        """The policy in force, as a dict."""
        return self._book.policy

    def snapshot(self) -> Dict[str, Any]:
        """The whole book as one document."""
        return self._book.snapshot()

    def visits(self) -> Visits:
        """The visits on record, indexed, under the book's policy."""
        return self._book.visits()

    def token(self, serial: int, key: StationKey) -> str:
        """The token of pass `serial`, signed with `key`, for its QR code."""
        return self._book.token(serial, key)

    def report(self, as_of: _Moment) -> Report:
        """The station's summary report as of a moment: figures, text, and a
        table in a notebook."""
        return Report(self.query({"query": "report", "as_of": as_of}), self.report_text(as_of))

    def history(self, *, person: Optional[str] = None, pass_serial: Optional[int] = None, stay: Optional[str] = None) -> Any:
        """Every event that concerns one person, pass or stay (give exactly one)."""
        return self.query({"query": "history", "person": person, "pass_serial": pass_serial, "stay": stay})

    def __repr__(self) -> str:
        return repr(self._book)

