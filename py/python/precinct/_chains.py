"""Transmission chains as a notebook wants them: the core's report, with
its per-case table, links, clusters, serial intervals and data problems as
`Table`s. Nothing is computed here."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Mapping

import numpy as np

from ._table import Table, _escape


class ChainReport(Mapping[str, Any]):
    """The chains of a line list or of the record book's cases.

    Tables (one call to a DataFrame each, e.g. `report.cases.to_pandas()`):

    - `cases`: one row per listed case: `case`, `cluster` (1 = the largest),
      `cluster_size`, `generation` (None when only reachable through a
      loop), `infected_by` (a list), `secondary_cases`, `onset` and
      `confirmed` (local days);
    - `links`: `infector`, `infectee`, `infector_listed` (False for an
      infector not on the list), `serial_interval` (days, when both onsets
      are known);
    - `clusters`, `serial_intervals`, `problems` (what could not be taken
      as it is: `problem`, `file`, `line` (a frame's row), `column` ...).

    Figures by key, as a mapping: `report["cases"]` (the number of cases),
    `"edges"`, `"longest_chain"`, `"mean_secondary_cases"`, `"generation"`,
    `"secondary_cases"`, `"placeholders"` (infectors not on the list)."""

    def __init__(self, answer: Dict[str, Any]) -> None:
        self._answer = answer

    def __getitem__(self, key: str) -> Any:
        return self._answer[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._answer)

    def __len__(self) -> int:
        return len(self._answer)

    def _table(self, key: str) -> Table:
        value = self._answer[key]
        return value if isinstance(value, Table) else Table({})

    @property
    def cases(self) -> Table:
        """One row per listed case (see the class)."""
        return self._table("case_table")

    @property
    def links(self) -> Table:
        """Every infector-to-infectee link followed."""
        return self._table("links")

    @property
    def clusters(self) -> Table:
        """Clusters, largest first: `cases` and `not_listed` (lists)."""
        return self._table("clusters")

    @property
    def serial_intervals(self) -> Table:
        """`infector`, `infectee`, `days` where both onsets are known."""
        return self._table("serial_intervals")

    @property
    def problems(self) -> Table:
        """What in the data could not be taken as it is."""
        return self._table("problems")

    @property
    def longest_chain(self) -> List[str]:
        """The longest chain of listed infections, from its first case down."""
        return list(self._answer["longest_chain"])

    def __repr__(self) -> str:
        return (
            f"ChainReport(cases={self['cases']}, links={self['edges']}, clusters={len(self.clusters)}, "
            f"longest chain={len(self.longest_chain)}, problems={len(self.problems)})"
        )

    def _repr_html_(self) -> str:
        cases = self.cases
        largest = int(cases["cluster_size"].max()) if len(cases) else 0
        intervals = self.serial_intervals["days"] if len(self.serial_intervals) else np.array([])
        mean_interval = f"{intervals.mean():.1f} days ({len(intervals)} pairs)" if len(intervals) else "none known"
        top = ""
        if len(cases):
            secondary = cases["secondary_cases"]
            order = np.argsort(-secondary, kind="stable")[:5]
            top = ", ".join(f"{cases['case'][i]} ({secondary[i]})" for i in order if secondary[i])
        rows = [
            ("cases", self["cases"]),
            ("links followed", self["edges"]),
            ("clusters", f"{len(self.clusters)}, the largest of {largest} cases"),
            ("longest chain", " → ".join(self.longest_chain)),
            ("mean secondary cases", f"{self['mean_secondary_cases']:.2f}"),
            ("most secondary cases", top or "none"),
            ("mean serial interval", mean_interval),
            ("infectors not on the list", len(self["placeholders"])),
            ("data problems", len(self.problems)),
        ]
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{_escape(v)}</td></tr>" for k, v in rows)
        return f"<table><caption>Transmission chains</caption>{body}</table>"
