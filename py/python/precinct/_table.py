"""The Python classes answers come in: `Table` (columns, DataFrame-ready)
and `Report` (figures and text). No conversion rules here: the compiled
module converts by type."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Sequence

import numpy as np


class Table:
    """Query results as columns of numpy arrays. `to_pandas()` and
    `to_polars()` make a DataFrame in one call (those packages are optional);
    time columns hold Unix seconds and become UTC timestamps there."""

    def __init__(self, columns: Mapping[str, Any], times: Sequence[str] = ()) -> None:
        self.columns: Dict[str, np.ndarray] = {}
        for name, values in columns.items():
            if isinstance(values, np.ndarray):
                self.columns[name] = values
            else:
                values = list(values)
                self.columns[name] = np.asarray(values, dtype=object if values and isinstance(values[0], str) else None)
        self.times = tuple(times)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], times: Sequence[str] = ()) -> "Table":
        """Rows (dicts) as columns."""
        records = list(records)
        names: List[str] = list(records[0].keys()) if records else []
        return cls({n: [r[n] for r in records] for n in names}, times)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    @property
    def names(self) -> List[str]:
        """Column names."""
        return list(self.columns)

    def to_dict(self) -> Dict[str, list]:
        """Columns as lists."""
        return {k: v.tolist() for k, v in self.columns.items()}

    def to_pandas(self) -> Any:
        """A pandas DataFrame (requires pandas)."""
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]

        columns: Dict[str, Any] = dict(self.columns)
        for name in self.times:
            # Unix seconds as UTC instants, built in numpy: a whole column
            # at once, not parsed.
            columns[name] = pd.DatetimeIndex(columns[name].astype("datetime64[s]").astype("datetime64[us]")).tz_localize("UTC")
        return pd.DataFrame(columns)

    def to_polars(self) -> Any:
        """A polars DataFrame (requires polars)."""
        import polars as pl

        columns: Dict[str, Any] = {k: (v.tolist() if v.dtype == object else v) for k, v in self.columns.items()}
        for name in self.times:
            seconds = pl.Series(name, self.columns[name], dtype=pl.Int64)
            columns[name] = (seconds * 1_000_000).cast(pl.Datetime("us", "UTC"))
        return pl.DataFrame(columns)

    def __repr__(self) -> str:
        return f"Table({len(self)} rows: {', '.join(self.columns)})"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{n}</th>" for n in self.columns)
        rows = []
        for i in range(min(len(self), 20)):
            rows.append("<tr>" + "".join(f"<td>{_escape(self.columns[n][i])}</td>" for n in self.columns) + "</tr>")
        more = f"<p>{len(self)} rows</p>" if len(self) > 20 else ""
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


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return str(value)


def _escape(value: Any) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
