"""The Python classes answers come in: `Table` (columns, DataFrame-ready)
and `Report` (figures and text). No conversion rules here: the compiled
module converts by type."""

from __future__ import annotations

import datetime
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import numpy as np


class Table:
    """A tabular answer as columns of numpy arrays (`t["name"]`), and rows
    as dicts (`t[0]`, `for row in t`). One call makes a DataFrame:
    `to_pandas()`, `to_polars()`, or any library that reads the Arrow
    PyCapsule interface (`pyarrow.table(t)`, `polars.DataFrame(t)`).

    Time columns (`times`) hold Unix seconds and become timestamps in the
    policy's zone (`tz`, UTC when not given); day columns hold
    `datetime.date`s (local days); a missing value is `None` (NaN in a float
    column)."""

    def __init__(
        self,
        columns: Mapping[str, Any],
        times: Sequence[str] = (),
        *,
        tz: Optional[datetime.tzinfo] = None,
        kinds: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.columns: Dict[str, np.ndarray] = {}
        for name, values in columns.items():
            if isinstance(values, np.ndarray):
                self.columns[name] = values
            else:
                values = list(values)
                self.columns[name] = np.asarray(values, dtype=object if values and isinstance(values[0], str) else None)
        self.times = tuple(times)
        self.tz: datetime.tzinfo = tz if tz is not None else datetime.timezone.utc
        # What a column holds when the table declares it (`int`, `text`,
        # `date`, `bool`, `list<text>` ...): an empty or all-missing column
        # keeps that type in every DataFrame library.
        self.kinds: Dict[str, str] = dict(kinds or {})

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], times: Sequence[str] = ()) -> "Table":
        """Rows (dicts) as columns."""
        records = list(records)
        names: List[str] = list(records[0].keys()) if records else []
        return cls({n: [r[n] for r in records] for n in names}, times)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, key: Union[str, int]) -> Any:
        """A column by name (a numpy array), or a row by position (a dict)."""
        if isinstance(key, str):
            return self.columns[key]
        return self.row(key)

    def row(self, i: int) -> Dict[str, Any]:
        """Row `i` as a dict: times as aware datetimes in the zone."""
        if not -len(self) <= i < len(self):
            raise IndexError(f"row {i} of a table of {len(self)} rows")
        out: Dict[str, Any] = {}
        for name, values in self.columns.items():
            value = values[i]
            if name in self.times:
                value = datetime.datetime.fromtimestamp(int(value), self.tz)
            elif isinstance(value, np.generic):
                value = value.item()
            out[name] = value
        return out

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        """The rows as dicts."""
        return (self.row(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        """Tables are equal when their columns are; a list equals a table
        whose rows (as dicts) it lists."""
        if isinstance(other, list):
            return list(self) == other
        if not isinstance(other, Table):
            return NotImplemented
        return (
            self.names == other.names
            and self.times == other.times
            and all(len(self.columns[n]) == len(other.columns[n]) and all(a == b for a, b in zip(self.columns[n].tolist(), other.columns[n].tolist())) for n in self.names)
        )

    __hash__ = None  # type: ignore[assignment]

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    @property
    def names(self) -> List[str]:
        """Column names."""
        return list(self.columns)

    def to_dict(self) -> Dict[str, list]:
        """Columns as lists."""
        return {k: v.tolist() for k, v in self.columns.items()}

    def _zone_name(self) -> str:
        """The zone as Arrow and the DataFrame libraries name it: an IANA
        name, or a fixed offset as `+08:00`."""
        key = getattr(self.tz, "key", None)
        if key:
            return str(key)
        offset = self.tz.utcoffset(None) or datetime.timedelta(0)
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def to_pandas(self) -> Any:
        """A pandas DataFrame (requires pandas): times as timestamps in the
        policy's zone, whole numbers with gaps as the nullable `Int64`."""
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]

        columns: Dict[str, Any] = dict(self.columns)
        for name, values in self.columns.items():
            if name in self.times:
                # Unix seconds as instants, built in numpy: a whole column
                # at once, not parsed.
                utc = pd.DatetimeIndex(values.astype("datetime64[s]").astype("datetime64[us]")).tz_localize("UTC")
                columns[name] = utc.tz_convert(self.tz)
            elif values.dtype == object and self.kinds.get(name) in _PANDAS and pd.api.types.infer_dtype(values, skipna=True) == "empty":
                columns[name] = pd.array(values, dtype=_PANDAS[self.kinds[name]])
            elif values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("integer", "boolean"):
                # Whole numbers or yes/no with gaps (a generation unknown):
                # pandas' nullable types.
                kind = "Int64" if pd.api.types.infer_dtype(values, skipna=True) == "integer" else "boolean"
                columns[name] = pd.array(values, dtype=kind)
        return pd.DataFrame(columns)

    def to_polars(self) -> Any:
        """A polars DataFrame (requires polars), through Arrow: times in
        the policy's zone, lists as list columns."""
        import polars as pl

        return pl.DataFrame(self)

    def to_arrow(self) -> Any:
        """A pyarrow Table (requires pyarrow)."""
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

        return pa.table(self)

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The Arrow PyCapsule stream interface: int64, float64, bool,
        timestamp[s, zone], date32, string and list<string> columns."""
        from ._precinct import arrow_stream

        return arrow_stream(self.columns, list(self.times), self._zone_name(), len(self), self.kinds, requested_schema)

    def __repr__(self) -> str:
        return f"Table({len(self)} rows: {', '.join(self.columns)})"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{_escape(n)}</th>" for n in self.columns)
        rows = []
        for row in (self.row(i) for i in range(min(len(self), 20))):
            rows.append("<tr>" + "".join(f"<td>{_escape(_cell(v))}</td>" for v in row.values()) + "</tr>")
        more = f"<p>{len(self)} rows, the first 20 shown</p>" if len(self) > 20 else f"<p>{len(self)} rows</p>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


class Report:
    """The station's summary report: `figures` as a dict, `str()` as text,
    and a table in a notebook."""

    def __init__(self, figures: Dict[str, Any], text: str) -> None:
        self.figures = figures
        self.text = text

    def __getitem__(self, name: str) -> Any:
        return self.figures[name]

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Report(as_of={self.figures.get('as_of')!r}, persons={self.figures.get('persons')})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{k.replace('_', ' ')}</th><td>{_escape(_flat(v))}</td></tr>"
            for k, v in self.figures.items()
        )
        return f"<table>{rows}</table>"


# pandas' nullable types for the declared kinds of all-missing columns.
_PANDAS = {"int": "Int64", "float": "Float64", "bool": "boolean", "text": "string"}


def _cell(value: Any) -> str:
    """A cell as a notebook shows it: lists joined, times without seconds' noise."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %Z")
    return str(value)


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return str(value)


def _escape(value: Any) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
