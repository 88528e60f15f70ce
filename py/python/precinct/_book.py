"""The public record book: a thin class around the compiled one (as
py-polars wraps its compiled frame), with one method per query of the core
(`_queries.Queries`, written from the core's list) and the report."""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _precinct
from ._io import _arrow
from ._queries import Queries, _Moment

_Policy = Union[str, Dict[str, Any], None]
# `True` for progress bars, or a callable `progress(stage, done, total)`.
_Progress = Union[bool, Callable[[str, int, Optional[int]], Any], None]
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
    def open(path: Union[str, os.PathLike], *, progress: _Progress = None) -> "Book":
        """Open a journal file and replay it. `progress`: `True` for a
        progress bar (tqdm when installed), or a callable
        `progress(stage, done, total)` told of the events replayed."""
        return Book(_precinct.Book.open(path, progress=progress))

    @staticmethod
    def open_or_create(path: Union[str, os.PathLike], *, policy: _Policy = None) -> "Book":
        """Open the journal at `path`, or create it."""
        return Book(_precinct.Book.open_or_create(path, policy=policy))

    @staticmethod
    def in_memory(*, policy: _Policy = None) -> "Book":
        """A new station whose journal is kept in memory."""
        return Book(_precinct.Book.in_memory(policy=policy))

    @staticmethod
    def open_text(text: str, *, progress: _Progress = None) -> "Book":
        """Replay a journal held as text (`progress` as in `open`)."""
        return Book(_precinct.Book.open_text(text, progress=progress))

    @staticmethod
    def from_snapshot(snapshot: Dict[str, Any]) -> "Book":
        """A book in memory starting from a snapshot (as `snapshot()` gave it)."""
        return Book(_precinct.Book.from_snapshot(snapshot))

    @staticmethod
    def demo(*, seed: int = 2020, small: bool = False, progress: _Progress = None) -> "Book":
        """The demo town's story written into a new book in memory
        (`progress` as in `open`, counting the story's 14 chapters)."""
        return Book(_precinct.Book.demo(seed=seed, small=small, progress=progress))

    def execute(self, command: Dict[str, Any], *, by: str, at: _Moment) -> Dict[str, Any]:
        """Validate, journal and apply one command (a dict with a `type`);
        naive times are read in the policy's zone. Returns the receipt."""
        return self._book.execute(command, by=by, at=at)

    def execute_batch(self, entries: Sequence[Tuple[str, _Moment, Dict[str, Any]]]) -> List[Dict[str, Any]]:
        """Several `(by, at, command)` entries synced once. Stops at the first
        refused one and raises; the ones before it are kept and synced."""
        return self._book.execute_batch(entries)

    def import_records(
        self,
        kind: str,
        source: Any,
        other: Any = None,
        *,
        by: str,
        at: _Moment,
        columns: Optional[Dict[str, str]] = None,
        other_columns: Optional[Dict[str, str]] = None,
    ) -> List[Dict[str, Any]]:
        """Put a table's records into the book, as the commands that record
        them, in one batch; returns their receipts.

        kind: `visits`, `cases`, `interviews` (`case_id, person_id, at,
            note`), `residents` (`source` the households, `other` the
            persons) or `resumption` (the enterprises and their reports).
        source, other: CSV text, or a pandas or polars DataFrame or a
            pyarrow Table, read as `precinct.read_cases` reads them.
        columns, other_columns: `{interchange name: the frame's column}`
            (or a list of such pairs) for the columns named otherwise in
            the frame.

        Every row is read first: a bad cell raises `DataImportError` (with
        `row` and `column`) and nothing is recorded. The commands then run in
        the order the book needs them: households, persons, then landlords;
        enterprises, then reports; each kind in id order (cases, visits and
        interviews in the table's order). A command the book refuses (a case
        confirmed twice, a report that cannot be true) stops the batch and
        raises its error, naming the record; the commands before it are kept,
        as in `execute_batch`."""
        pairs = _column_pairs(columns)
        other_pairs = _column_pairs(other_columns)
        return self._book.import_records(
            kind, _arrow(source), None if other is None else _arrow(other), by=by, at=at, columns=pairs, other_columns=other_pairs
        )

    def record_visits(self, visits: Any, *, by: str, at: _Moment, **columns: str) -> Dict[str, Any]:
        """Record venue check-ins from a frame or CSV text in one
        `record_visits` command, for the domain trace (`close_contacts`).
        Columns by keyword, e.g. `person_id="who", start="arrived"`; times
        aware, naive (in the policy's zone) or Unix seconds."""
        return self.import_records("visits", visits, by=by, at=at, columns=columns)[0]

    def confirm_cases(self, cases: Any, *, by: str, at: _Moment, **columns: str) -> List[Dict[str, Any]]:
        """Confirm the cases of a frame or CSV text (`case_id, person_id,
        onset, confirmed, infected_by`; other names by keyword)."""
        return self.import_records("cases", cases, by=by, at=at, columns=columns)

    def record_interview_contacts(
        self, contacts: Any, *, by: str, at: _Moment, met_at: Optional[str] = None, **columns: str
    ) -> List[Dict[str, Any]]:
        """Record the contacts named in interviews from a frame or CSV text
        (`case_id, person_id, at` when they met, `note`; other names by
        keyword, and `met_at=` for the column of when they met, since `at`
        is the entry's own time)."""
        if met_at is not None:
            columns = {**columns, "at": met_at}
        return self.import_records("interviews", contacts, by=by, at=at, columns=columns)

    def query(self, request: Dict[str, Any], *, tables: bool = False) -> Any:
        """Answer a query given by name (`{"query": "missing_reports", "day": ...}`).
        With `tables`, lists of records come back as `Table`s (as the query
        methods give them); without, as lists of dicts."""
        return self._book.query(request, tables=tables)

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

    def snapshot_text(self) -> str:
        """The whole book as JSON text: the base a `DeviceBook` starts from."""
        return self._book.snapshot_text()

    def visits(self) -> Visits:
        """The visits on record, indexed, under the book's policy."""
        return self._book.visits()

    def check_reference(self, kind: str, id: str) -> None:
        """Check that the record a form's field names is on record, as it is
        typed: `kind` is `person`, `household`, `stay`, `enterprise`,
        `pass` or `certificate`; `id` the record's id or serial. Raises
        `RecordNotFound` with the words a command naming it would give,
        `InvalidValue` for a serial that is not a number or another kind."""
        self._book.check_reference(kind, id)

    def token(self, serial: int, key: StationKey) -> str:
        """The token of pass `serial`, signed with `key`, for its QR code."""
        return self._book.token(serial, key)

    def report(self, as_of: _Moment) -> Report:
        """The station's summary report as of a moment: figures, text, and a
        table in a notebook."""
        return Report(self.query({"query": "report", "as_of": as_of}), self.report_text(as_of))

    def history(self, *, person: Optional[str] = None, pass_serial: Optional[int] = None, stay: Optional[str] = None) -> Any:
        """Every event that concerns one person, pass or stay (give exactly
        one), as journal entries: dicts whose `command` keeps its own shape
        (an audit trail, not a table of one kind of record)."""
        return self.query({"query": "history", "person": person, "pass_serial": pass_serial, "stay": stay})

    def __repr__(self) -> str:
        return repr(self._book)

    def _repr_html_(self) -> str:
        """The book at a glance in a notebook: its journal, and the
        records of the five areas (totals of the station's report, which
        do not depend on a day)."""
        import datetime as _dt

        f = self._book.query({"query": "report", "as_of": _dt.datetime.now(_dt.timezone.utc)})
        screening, contacts = f["screening"], f["contacts"]
        resumption = f.get("resumption") or {}
        passes = ", ".join(f"{n} {kind}" for kind, n in f["passes_issued"].items()) or "none"
        areas = [
            ("Households and residents", [
                ("persons registered", f["persons"]),
                ("households", f"{f['households']}, {f['rental_households']} rented"),
                ("rented homes screened", f"{screening['screened']} of {screening['rental_households']}"),
                ("rented homes without a landlord commitment", f["without_commitment"]),
                ("households with a gap in the responsibility tree", f["responsibility_gaps"]),
            ]),
            ("Contacts", [
                ("confirmed cases", f["cases"]),
                ("visits (check-ins) on record", f["visits"]),
                ("close contacts", f"{contacts['contacts']}, {contacts['notified']} notified, {contacts['isolated']} isolated"),
                ("longest transmission chain", f"{f['longest_chain']} cases"),
            ]),
            ("Passes", [
                ("passes issued", passes),
                ("revoked", f["passes_revoked"]),
                ("checkpoint checks", f["checkpoint_checks"]),
            ]),
            ("Registrations", [
                ("foreign nationals' stays", f["foreign_stays"]),
                ("registered late", f["registered_late"]),
                ("paper copies held at the station", f["papers_held"]),
                ("services", sum(f["services"].values())),
            ]),
            ("Resumption", [
                ("enterprises resumed", f"{resumption.get('resumed', 0)} of {resumption.get('enterprises', 0)}"),
                ("workforce on site", f"{resumption.get('on_site', 0)} of {resumption.get('workforce', 0)}"),
            ]),
        ]
        head = self._book.head
        rows = [f"<tr><td colspan='2'>policy {_esc(f['policy'])}, zone {_esc(f['zone'])}; {self.seq} events, head {_esc(head[:12])}</td></tr>"]
        for area, figures in areas:
            rows.append(f"<tr><th colspan='2' style='text-align:left'>{area}</th></tr>")
            rows.extend(f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in figures)
        return f"<table><caption>Record book</caption>{''.join(rows)}</table>"


def _column_pairs(columns: Any) -> Optional[List[Tuple[str, str]]]:
    """Column names as `(interchange name, frame column)` pairs; a frame's
    column named by a number (pandas without a header) by its text."""
    if columns is None:
        return None
    items = columns.items() if hasattr(columns, "items") else columns
    return [(str(k), str(v)) for k, v in items]


def _esc(value: Any) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

