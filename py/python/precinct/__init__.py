"""precinct: the record book and toolkit of a township police station and
its local government during an epidemic, in Python.

The rules live in the Rust core; this package converts. Records go in and
out as dicts (commands have a ``type``, see the README), times as
``datetime``/``date`` (naive ones read in the policy's zone), bulk data as
numpy columns that become DataFrames with ``to_pandas()``/``to_polars()``.

Every error is a :class:`PrecinctError` (a ``ValueError``) of a subclass
naming its kind, with ``code`` and the fields of the failure as attributes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._convert import Report, Table
from ._precinct import (
    Book,
    DuplicateRecord,
    ImplausibleRecord,
    DataImportError,
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
    chains,
    mask_id_number,
    mask_name,
    mask_phone,
    policy,
    preset_names,
    pseudonym,
    read_cases,
    read_residents,
    read_resumption,
    resident_id,
    trace_columns,
    validate_document,
    verify_token,
    write_cases,
)

__all__ = [
    "Book",
    "DuplicateRecord",
    "ImplausibleRecord",
    "DataImportError",
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
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "policy",
    "preset_names",
    "pseudonym",
    "read_cases",
    "read_residents",
    "read_resumption",
    "resident_id",
    "trace_columns",
    "validate_document",
    "verify_token",
    "visits_from_frame",
    "write_cases",
]


def _column(frame: Any, name: str) -> np.ndarray:
    """One column of a pandas or polars DataFrame or a pyarrow Table as numpy."""
    column = frame[name]
    if getattr(getattr(column, "dtype", None), "tz", None) is not None:  # tz-aware pandas
        column = column.dt.tz_convert("UTC").dt.tz_localize(None)
    return column.to_numpy() if hasattr(column, "to_numpy") else np.asarray(column)


def _seconds(array: np.ndarray) -> np.ndarray:
    """A time column as int64 Unix seconds (datetime64 values are UTC)."""
    if np.issubdtype(array.dtype, np.datetime64):
        return array.astype("datetime64[s]").astype(np.int64)
    return array.astype(np.int64, copy=False)


def _ids(array: np.ndarray) -> Any:
    if np.issubdtype(array.dtype, np.integer):
        return array.astype(np.int64, copy=False)
    return [str(v) for v in array]


def visits_from_frame(
    frame: Any,
    *,
    person: str = "person_id",
    place: str = "place_id",
    start: str = "start",
    end: str = "end",
) -> Visits:
    """Index the visits of a pandas or polars DataFrame, or a pyarrow Table,
    without a Python loop per row (for integer ids). Integer ids stay
    integers in results. Times are datetime columns (naive ones are UTC) or
    Unix seconds."""
    return Visits.from_columns(
        _ids(_column(frame, person)),
        _ids(_column(frame, place)),
        _seconds(_column(frame, start)),
        _seconds(_column(frame, end)),
    )
