"""Columns of a pandas or polars DataFrame or a pyarrow Table as numpy, for
`Visits.from_frame`. Decided by the types of the columns only: an aware
time column becomes int64 Unix seconds (exact), a naive one stays
`datetime64` (wall-clock times the core reads in the policy's zone)."""

from __future__ import annotations

from typing import Any, Sequence, Tuple

import numpy as np


def _aware(column: Any) -> bool:
    dtype = getattr(column, "dtype", None)
    if getattr(dtype, "tz", None) is not None:  # pandas
        return True
    if getattr(dtype, "time_zone", None) is not None:  # polars
        return True
    return getattr(getattr(column, "type", None), "tz", None) is not None  # pyarrow


def _unix_seconds(column: Any) -> np.ndarray:
    """An aware column as int64 Unix seconds."""
    if hasattr(column, "dt") and hasattr(column.dt, "tz_convert"):  # pandas
        values = column.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    elif hasattr(column, "dt") and hasattr(column.dt, "epoch"):  # polars
        return column.dt.epoch("s").to_numpy().astype(np.int64)
    else:  # pyarrow: the stored values are UTC
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

        values = column.cast(pa.timestamp("s", tz="UTC")).cast(pa.int64()).to_numpy()
        return np.asarray(values, dtype=np.int64)
    return values.astype("datetime64[s]").astype(np.int64)


def _numpy(column: Any) -> Any:
    if _aware(column):
        return _unix_seconds(column)
    values = column.to_numpy() if hasattr(column, "to_numpy") else np.asarray(column)
    if values.dtype.kind == "m":
        # A duration is not a time: the exact reader names the column.
        raise TypeError("a duration column")
    if values.dtype.kind == "u" and len(values) and values.max() > np.iinfo(np.int64).max:
        # Beyond 64-bit signed integers: the ids as their digits.
        return [str(v) for v in values.tolist()]
    if values.dtype.kind in "iufM":
        # Numbers as they are: `Visits.from_columns` takes whole numbers of
        # any width, and whole floats (a pandas column with a gap), as int64;
        # what it cannot take whole goes to the exact reader, which names it.
        return values
    return list(values)


def invalid(field: str, value: Any, expected: str) -> Exception:
    """The package's `InvalidValue` for an argument refused in Python, with
    the attributes the compiled module's errors carry."""
    from ._precinct import InvalidValue

    error = InvalidValue(f"{field} `{value}` is invalid, expected {expected}")
    error.code, error.field, error.value, error.expected = "invalid_value", field, str(value), expected
    return error


def columns(frame: Any, names: Sequence[str]) -> Tuple[Any, ...]:
    """The named columns of `frame` as int64 arrays, `datetime64` arrays or
    lists; a column the frame lacks, or has twice, raises `InvalidValue`
    naming it."""
    have = getattr(frame, "column_names", None)  # pyarrow
    have = list(getattr(frame, "columns", []) if have is None else have)
    for name in names:
        if have.count(name) > 1:
            raise invalid("frame", f"column {name} named twice", "each column named once")
        if name not in have:
            raise invalid("frame", f"without a column {name}", f"the columns {', '.join(names)}")
    return tuple(_numpy(frame[name]) for name in names)
