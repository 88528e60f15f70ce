"""The record book as kept on one of several devices (a checkpoint tablet,
a team's phone, the desk), merged with the others' events without loss.
Every rule is the core's (`precinct::DeviceBook`): each device's events form
their own hash chain, the merged book depends only on the set of events,
serials come from each device's own block, and what cannot stand after a
merge is a conflict a person resolves with a `resolve_conflict` command."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from . import _precinct
from ._precinct import StationKey
from ._queries import Queries, _Moment
from ._table import Report


class DeviceBook(Queries):
    """The record book kept on one device of several. Every query of the
    core is a method of the same name, answered from the merged records.

    >>> import precinct
    >>> base = precinct.Book.in_memory().snapshot_text()
    >>> desk = precinct.DeviceBook.create(base, device="desk", number=1)
    >>> team = precinct.DeviceBook.create(base, device="team-1", number=2)
    >>> report = team.merge(desk.lines_since(team.frontier))
    >>> report["added"], team.frontier
    (0, {'desk': 0, 'team-1': 0})
    """

    __slots__ = ("_book",)

    def __init__(self, book: _precinct.DeviceBook) -> None:
        self._book = book

    @staticmethod
    def create(base: str, *, device: str, number: int) -> "DeviceBook":
        """A device's book from `base`, the station's snapshot text
        (`Book.snapshot_text()`, the same on every device), under the
        device's name (1 to 64 letters, digits, `-`, `_`, `.`) and number (1
        to 65535, distinct per device: its pass serials start at
        `number * 2**32`, its certificate serials at `number * 2**16`).

        Raises `InvalidValue` for a bad base, name or number."""
        return DeviceBook(_precinct.DeviceBook.create(base, device=device, number=number))

    @staticmethod
    def open(base: str, *, device: str, journal: str, base_hash: Optional[str] = None) -> "DeviceBook":
        """Reopen a device's book from its base and the lines it kept
        (`journal_text`). `base_hash`, when given, is the base's SHA-256 in
        hex as the caller computed it (`hashlib.sha256(base.encode())`),
        which then is not computed again; it must be the base of the
        device's header. Raises `DeviceChainDamaged` (with `device` and
        `seq`) for a damaged chain or a hash of another base,
        `RecordNotFound` when the lines hold no header of `device`,
        `InvalidValue` for a hash that is not 64 hex digits."""
        return DeviceBook(_precinct.DeviceBook.open(base, device=device, journal=journal, base_hash=base_hash))

    def execute(self, command: Dict[str, Any], *, by: str, at: _Moment) -> Dict[str, Any]:
        """Validate a command (a dict with a `type`) against the merged
        records and record it on this device; naive times are in the
        policy's zone. Returns the receipt (`seq` in this device's chain,
        `outcome`). Raises the error of its kind when refused (nothing
        changes)."""
        return self._book.execute(command, by=by, at=at)

    def merge(self, lines: str) -> Dict[str, Any]:
        """Take other devices' lines (as `lines_since` or `journal_text`
        gave them). Every chain is checked first; a damaged one raises
        `DeviceChainDamaged` with `device` and `seq` and nothing is taken.
        Returns `added`, `known`, `devices`, the new `conflicts` and whether
        the records were `replayed` from the base."""
        return self._book.merge(lines)

    def lines_since(self, frontier: Dict[str, int]) -> str:
        """The lines a device with `frontier` lacks (all of them for `{}`)."""
        return self._book.lines_since(frontier)

    @property
    def frontier(self) -> Dict[str, int]:
        """The last sequence number held of each device (0: its header only)."""
        return self._book.frontier

    @property
    def journal_text(self) -> str:
        """Every device's lines, headers first: what to keep."""
        return self._book.journal_text

    @property
    def conflicts(self) -> List[Dict[str, Any]]:
        """The conflicts still open, in the merged order of their events:
        `id` (`DEVICE/SEQ`, what `resolve_conflict` names), `kind`, `event`,
        `earlier`, `applied`, `reason`."""
        return self._book.conflicts

    @property
    def all_conflicts(self) -> List[Dict[str, Any]]:
        """Every conflict found, resolved or not."""
        return self._book.all_conflicts

    def new_id(self, prefix: str) -> str:
        """An identifier no other device issues: `PREFIX-DEVICE-N` (ask for
        one per command)."""
        return self._book.new_id(prefix)

    def query(self, request: Dict[str, Any], *, tables: bool = False) -> Any:
        """Answer any query given by name from the merged records (with
        `tables`, lists of records as `Table`s); `history` needs a `Book`."""
        return self._book.query(request, tables=tables)

    @property
    def device(self) -> str:
        """This device's name."""
        return self._book.device

    @property
    def number(self) -> int:
        """This device's number (its serial block)."""
        return self._book.number

    @property
    def policy(self) -> Dict[str, Any]:
        """The policy in force (the base's), as a dict."""
        return self._book.policy

    @property
    def events(self) -> int:
        """Events held, over all devices."""
        return self._book.events

    @property
    def devices(self) -> Dict[str, int]:
        """Every device this book has heard of, with its number: a new
        device (a checkpoint) takes a name and a number not in it."""
        return self._book.devices

    @property
    def base_hash(self) -> str:
        """The SHA-256 of the base text (64 hex digits): a checkpoint kit
        carries it, so that a `CheckpointChain` merges with this station's
        books."""
        return self._book.base_hash

    def report(self, as_of: _Moment) -> Report:
        """The station's summary report of the merged records as of a
        moment: figures, text, and a table in a notebook."""
        return Report(self.query({"query": "report", "as_of": as_of}), self.report_text(as_of))

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

    def __repr__(self) -> str:
        return repr(self._book)
