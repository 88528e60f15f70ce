"""precinct: the record book and toolkit of a township police station and
its local government during an epidemic, in Python.

The rules live in the Rust core; this package converts. Tabular inputs
(visits, line lists, contact lists, cases, households and persons,
enterprises and reports) are pandas or polars DataFrames, pyarrow Tables or
CSV text, with the column names as keyword arguments; tabular answers are
``Table``s that become DataFrames in one call (``to_pandas()``,
``to_polars()``, or the Arrow PyCapsule interface). Commands are dicts with
a ``type`` (see the README), times ``datetime``/``date`` (naive ones read
in the policy's zone). ``precinct.plot`` draws (the ``plot`` extra).
Times come back as aware ``datetime``s in the policy's zone; text always
as ``str``. ``Book`` has one method per query of the core
(``query_names()``); ``facade()`` lists everything else the core offers.

Every error is a :class:`PrecinctError` (a ``ValueError``) of a subclass
naming its kind, with ``code`` and the fields of the failure as attributes.
"""

from __future__ import annotations

from typing import Any, Dict, Union

from . import plot
from ._book import Book
from ._devices import DeviceBook
from ._chains import ChainReport
from ._io import chains, read_cases, read_interviews, read_residents, read_resumption
from ._table import Report, Table
from ._precinct import (
    CheckpointChain,
    DataImportError,
    DeviceChainDamaged,
    DuplicateRecord,
    ImplausibleRecord,
    InvalidIdentityDocument,
    InvalidTransition,
    InvalidValue,
    JournalDamaged,
    JournalLocked,
    NotEligible,
    PrecinctError,
    RecordNotFound,
    StationKey,
    StorageError,
    TooLarge,
    Visits,
    __version__,
    facade,
    mask_id_number,
    mask_name,
    mask_phone,
    policy,
    preset_names,
    pseudonym,
    query_names,
    resident_id,
    trace_columns,
    validate_document,
    validate_field,
    verify_token,
    write_cases,
)

__all__ = [
    "Book",
    "ChainReport",
    "CheckpointChain",
    "DataImportError",
    "DeviceBook",
    "DeviceChainDamaged",
    "DuplicateRecord",
    "ImplausibleRecord",
    "InvalidIdentityDocument",
    "InvalidTransition",
    "InvalidValue",
    "JournalDamaged",
    "JournalLocked",
    "NotEligible",
    "PrecinctError",
    "RecordNotFound",
    "Report",
    "StationKey",
    "StorageError",
    "Table",
    "TooLarge",
    "Visits",
    "__version__",
    "chains",
    "facade",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "policy",
    "preset_names",
    "plot",
    "pseudonym",
    "query_names",
    "read_cases",
    "read_interviews",
    "read_residents",
    "read_resumption",
    "resident_id",
    "trace_columns",
    "validate_document",
    "validate_field",
    "verify_token",
    "visits_from_frame",
    "write_cases",
]


def visits_from_frame(
    frame: Any,
    *,
    person: str = "person_id",
    place: str = "place_id",
    start: str = "start",
    end: str = "end",
    policy: Union[str, Dict[str, Any], None] = None,
) -> Visits:
    """Index the visits of a pandas or polars DataFrame, or a pyarrow Table
    (``Visits.from_frame``): integer ids stay integers in results; aware
    time columns are exact, naive ones wall-clock times in the policy's
    zone; integer columns Unix seconds."""
    return Visits.from_frame(frame, person=person, place=place, start=start, end=end, policy=policy)
