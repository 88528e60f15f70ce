"""Type stubs of the compiled module `precinct._precinct` (checked against it
by `mypy.stubtest` in the test suite)."""

import datetime
import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from typing_extensions import final

import numpy as np
import numpy.typing as npt

from ._table import Table

_Moment = Union[datetime.datetime, str, int]
_Day = Union[datetime.date, datetime.datetime, str, int]
_Ids = Union[npt.NDArray[np.int64], Sequence[str], Sequence[int]]
_Seconds = npt.NDArray[np.int64]
_Times = Union[npt.NDArray[np.int64], npt.NDArray[np.datetime64], Sequence[_Moment]]
_Record = Dict[str, Any]
_Policy = Union[str, Dict[str, Any], None]
_Progress = Union[bool, Callable[[str, int, Optional[int]], Any], None]
_Columns = Optional[Sequence[Tuple[str, str]]]

__version__: str
__all__ = [
    "PrecinctError", "InvalidIdentityDocument", "InvalidValue", "DuplicateRecord", "RecordNotFound",
    "InvalidTransition", "NotEligible", "ImplausibleRecord", "DataImportError", "JournalDamaged",
    "JournalLocked", "StorageError", "TooLarge", "Visits", "Book", "StationKey", "policy", "preset_names",
    "validate_document", "resident_id", "mask_id_number", "mask_phone", "mask_name", "pseudonym",
    "verify_token", "trace_columns", "read_cases", "read_interviews", "chains", "write_cases", "read_residents",
    "read_resumption", "facade", "query_names", "arrow_stream", "__version__",
]

class PrecinctError(ValueError):
    code: str

class InvalidIdentityDocument(PrecinctError): ...
class InvalidValue(PrecinctError):
    field: str
    value: str
    expected: str

class DuplicateRecord(PrecinctError): ...
class RecordNotFound(PrecinctError): ...
class InvalidTransition(PrecinctError): ...
class NotEligible(PrecinctError): ...
class ImplausibleRecord(PrecinctError): ...

class DataImportError(PrecinctError):
    file: str
    line: Optional[int]
    row: Optional[int]
    column: str
    reason: str

class JournalDamaged(PrecinctError):
    journal: str
    seq: int
    reason: str

class JournalLocked(PrecinctError):
    journal: str

class StorageError(PrecinctError):
    path: str
    reason: str

class TooLarge(PrecinctError):
    what: str
    needed: int
    budget: int

@final
class Visits:
    @staticmethod
    def from_columns(
        person: _Ids, place: _Ids, start: _Times, end: _Times, *, policy: _Policy = None, progress: _Progress = None
    ) -> Visits: ...
    @staticmethod
    def from_frame(
        frame: Any,
        *,
        person: str = "person_id",
        place: str = "place_id",
        start: str = "start",
        end: str = "end",
        policy: _Policy = None,
        progress: _Progress = None,
    ) -> Visits: ...
    @staticmethod
    def from_csv(text: str, *, policy: _Policy = None, progress: _Progress = None) -> Visits: ...
    def _repr_html_(self) -> str: ...
    def to_csv(self) -> str: ...
    def __len__(self) -> int: ...
    @property
    def index_bytes(self) -> int: ...
    @property
    def persons(self) -> int: ...
    @property
    def places(self) -> int: ...
    def trace(self, person: Union[int, str], start: _Moment, end: _Moment, *, min_overlap: Optional[int] = None) -> Table: ...
    def second_ring(self, person: Union[int, str], start: _Moment, end: _Moment, *, min_overlap: Optional[int] = None) -> Table: ...
    def day_graph(self, day: _Day, *, min_overlap: Optional[int] = None, edges: bool = False, budget: Optional[int] = None) -> Dict[str, Any]: ...
    def __reduce__(self) -> Tuple[Any, Tuple[bytes, bytes, bool]]: ...
    @staticmethod
    def _from_json(visits: bytes, policy: bytes, int_ids: bool) -> Visits: ...

@final
class StationKey:
    def __new__(cls, seed: bytes) -> StationKey: ...
    @property
    def public_key(self) -> str: ...
    @property
    def holder_key(self) -> str: ...

@final
class Book:
    @staticmethod
    def create(path: Union[str, os.PathLike[str]], *, policy: _Policy = None) -> Book: ...
    @staticmethod
    def open(path: Union[str, os.PathLike[str]], *, progress: _Progress = None) -> Book: ...
    @staticmethod
    def open_or_create(path: Union[str, os.PathLike[str]], *, policy: _Policy = None) -> Book: ...
    @staticmethod
    def in_memory(*, policy: _Policy = None) -> Book: ...
    @staticmethod
    def open_text(text: str, *, progress: _Progress = None) -> Book: ...
    @staticmethod
    def from_snapshot(snapshot: _Record) -> Book: ...
    @staticmethod
    def demo(*, seed: int = 2020, small: bool = False, progress: _Progress = None) -> Book: ...
    def execute(self, command: _Record, *, by: str, at: _Moment) -> _Record: ...
    def execute_batch(self, entries: Sequence[Tuple[str, _Moment, _Record]]) -> List[_Record]: ...
    @property
    def seq(self) -> int: ...
    @property
    def head(self) -> str: ...
    @property
    def recovery(self) -> _Record: ...
    @property
    def journal_text(self) -> Optional[str]: ...
    @property
    def policy(self) -> _Record: ...
    def query(self, request: _Record, *, tables: bool = False) -> Any: ...
    def import_records(
        self,
        kind: str,
        source: Any,
        other: Any = None,
        *,
        by: str,
        at: _Moment,
        columns: _Columns = None,
        other_columns: _Columns = None,
    ) -> List[_Record]: ...
    def snapshot(self) -> _Record: ...
    def visits(self) -> Visits: ...
    def token(self, serial: int, key: StationKey) -> str: ...

def policy(name: str) -> _Record: ...
def preset_names() -> List[str]: ...
def validate_document(kind: str, text: str) -> str: ...
def resident_id(number: str) -> _Record: ...
def mask_id_number(number: str) -> str: ...
def mask_phone(phone: str) -> str: ...
def mask_name(name: str) -> str: ...
def pseudonym(key: bytes, value: str) -> str: ...
def verify_token(
    token: str,
    public_key: str,
    *,
    at: _Moment,
    revoked: Sequence[int] = ...,
    document: Optional[str] = None,
    nationality: Optional[str] = None,
    holder_key: Optional[str] = None,
    policy: _Policy = None,
) -> _Record: ...
def trace_columns(
    person: npt.NDArray[np.int64],
    place: npt.NDArray[np.int64],
    start: _Seconds,
    end: _Seconds,
    who: int,
    window_start: _Moment,
    window_end: _Moment,
    *,
    min_overlap: Optional[int] = None,
    policy: _Policy = None,
) -> Table: ...
def read_cases(source: Any, *, policy: _Policy = None, columns: _Columns = None) -> List[_Record]: ...
def read_interviews(source: Any, *, policy: _Policy = None, columns: _Columns = None) -> List[_Record]: ...
def write_cases(cases: Sequence[_Record], *, policy: _Policy = None) -> str: ...
def chains(
    cases: Any,
    *,
    policy: _Policy = None,
    contacts: Any = None,
    columns: Optional[Dict[str, Optional[str]]] = None,
    missing: Optional[Sequence[str]] = None,
) -> _Record: ...
def read_residents(
    households: Any,
    persons: Any,
    *,
    policy: _Policy = None,
    household_columns: _Columns = None,
    person_columns: _Columns = None,
) -> Dict[str, List[_Record]]: ...
def read_resumption(
    enterprises: Any,
    reports: Any,
    *,
    policy: _Policy = None,
    enterprise_columns: _Columns = None,
    report_columns: _Columns = None,
) -> Dict[str, List[_Record]]: ...
def arrow_stream(
    columns: Dict[str, Any], times: List[str], zone: str, rows: int, kinds: Dict[str, str], requested_schema: Any = None
) -> Any: ...
def facade() -> List[Tuple[str, str]]: ...
def query_names() -> List[str]: ...
