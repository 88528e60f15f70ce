"""Tabular inputs with their column names as keyword arguments: CSV text,
or a pandas or polars DataFrame or a pyarrow Table (anything with the Arrow
PyCapsule interface; pandas needs pyarrow for it). The defaults are the
interchange formats' names (DESIGN.md). A frame is read as the CSV file
with the same columns would be, by the same rules of the core: a missing
value (NaN, None, NaT) is an empty cell, and a bad cell raises
`DataImportError` with its `row` (counted from 0) and `column` (as the frame
names it)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _precinct
from ._chains import ChainReport
from ._frame import invalid as _invalid

_Policy = Union[str, Dict[str, Any], None]


_FRAMES = "CSV text, a pandas or polars DataFrame, a pyarrow Table or a list of dicts"


def _arrow(frame: Any, columns: Optional[Sequence[str]] = None) -> Any:
    """What the compiled readers take: CSV text, a list of dicts, or a frame
    with `__arrow_c_stream__`, of the `columns` wanted only (a column not
    asked for is never converted). A pandas frame goes through pyarrow; an
    object column of mixed types (text beside numbers or timestamps, as
    spreadsheets give) or one pyarrow cannot take is read cell by cell by
    its values' types, as records."""
    if isinstance(frame, (str, list)):
        return frame
    if isinstance(frame, tuple):
        return list(frame)
    module = type(frame).__module__.split(".")[0]
    name = type(frame).__name__
    if module == "polars" and name == "LazyFrame":
        frame = frame.collect()
    elif module == "pandas" and name == "Series":
        raise _invalid("frame", "a pandas Series", f"{_FRAMES} (a Series is one column: .to_frame())")
    elif not (module == "pandas" and name == "DataFrame") and not hasattr(frame, "__arrow_c_stream__"):
        raise _invalid("frame", f"a {module}.{name}", _FRAMES)
    if module == "pandas" and frame.columns.duplicated().any():
        twice = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise _invalid("frame", f"the columns {', '.join(twice)} named twice", "each column named once")
    if columns is not None:
        frame = _select(frame, module, columns)
    if module != "pandas":
        return frame
    try:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]
    except ImportError as e:  # pragma: no cover - pyarrow is in the pandas extra
        raise ImportError('reading a pandas DataFrame needs pyarrow: pip install "precinct[pandas]"') from e
    mixed = [
        c for c in frame.columns
        if frame[c].dtype == object and pd.api.types.infer_dtype(frame[c], skipna=True) not in ("string", "empty", "integer", "floating", "mixed-integer-float", "boolean", "date", "datetime", "bytes")
    ]
    if not mixed:
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowException, OverflowError, TypeError, ValueError):
            pass
    # Cell by cell, by each value's type (the compiled reader of records).
    return frame.to_dict("records")


def _select(frame: Any, module: str, columns: Sequence[str]) -> Any:
    """The frame's `columns` that it has, in its own kind."""
    if module == "pandas":
        have = [c for c in frame.columns if str(c) in columns]
        out = frame[have]
        out.columns = [str(c) for c in have]
        return out
    names = getattr(frame, "column_names", None) or getattr(frame, "columns", None)
    if names is None:
        return frame
    have = [c for c in names if c in columns]
    twice = sorted({c for c in have if have.count(c) > 1})
    if twice:
        raise _invalid("frame", f"the columns {', '.join(twice)} named twice", "each column named once")
    if module == "polars":
        import polars as pl

        # A column of nothing but nulls has polars' Null type, which the
        # Arrow interface does not carry: as text, all missing.
        return frame.select([pl.col(c).cast(pl.String) if frame.schema[c] == pl.Null else pl.col(c) for c in have])
    if hasattr(frame, "select"):  # pyarrow
        return frame.select(have)
    return frame


def _pairs(**names: Any) -> List[Tuple[str, str]]:
    """Keyword arguments naming columns as `(interchange name, column)`;
    a column named by a number (pandas without a header) by its text."""
    return [(k, str(v)) for k, v in names.items()]


def _sources(pairs: Sequence[Tuple[str, Optional[str]]]) -> List[str]:
    return [v for _, v in pairs if v is not None]


def chains(
    cases: Any,
    *,
    contacts: Any = None,
    id: str = "case_id",
    infected_by: Optional[str] = "infected_by",
    onset: Optional[str] = "onset",
    confirmed: Optional[str] = "confirmed",
    infector: str = "from",
    infectee: str = "to",
    missing: Union[Sequence[str], str, None] = ("NA",),
    policy: _Policy = None,
) -> ChainReport:
    """Transmission chains of a line list: clusters, generations, secondary
    cases, serial intervals, the longest chain and the data's problems (see
    `ChainReport`).

    cases: a DataFrame (pandas, polars, pyarrow) or CSV text with one or
        more rows per case (their infectors are merged), or a list of case
        dicts as `read_cases` gives them.
    contacts: an optional contact list (frame or CSV text), one row per
        infector-to-infectee link, as R's epicontacts takes it.
    id, infected_by, onset, confirmed: the line list's columns; `None` for
        one it does not have. `infected_by` may hold several ids separated
        by `,` or `;`, or a list per cell.
    infector, infectee: the contact list's columns.
    missing: texts meaning "not known" (R writes `NA`).
    policy: the zone days are taken in (dates are local days).

    Raises `DataImportError` when the list has no `id` column; every other
    problem is reported in `report.problems` and the rest of the row used."""
    if isinstance(cases, (list, tuple)) and cases and isinstance(cases[0], dict) and id == "case_id":
        # Records as the record book writes cases (`read_cases`) name their id `id`.
        if "case_id" not in cases[0] and "id" in cases[0]:
            id = "id"
    listed = {"id": id, "infected_by": infected_by, "onset": onset, "confirmed": confirmed}
    links = {"from": infector, "to": infectee}
    columns = {k: None if v is None else str(v) for k, v in {**listed, **links}.items()}
    if missing is None:
        missing = []
    elif isinstance(missing, str):
        missing = [missing]
    wanted = [str(v) for v in listed.values() if v is not None]
    other = None if contacts is None else _arrow(contacts, [str(infector), str(infectee)])
    return ChainReport(_precinct.chains(_arrow(cases, wanted), policy=policy, contacts=other, columns=columns, missing=list(missing)))


def read_cases(
    source: Any,
    *,
    case_id: str = "case_id",
    person_id: str = "person_id",
    onset: str = "onset",
    confirmed: str = "confirmed",
    infected_by: str = "infected_by",
    policy: _Policy = None,
) -> List[Dict[str, Any]]:
    """Cases for the record book (`confirm_case` commands) from a cases CSV
    or a frame, strictly: the first bad cell raises `DataImportError` and
    nothing is returned. Column names apply to frames; a CSV file has the
    interchange names."""
    columns = _pairs(case_id=case_id, person_id=person_id, onset=onset, confirmed=confirmed, infected_by=infected_by)
    return _precinct.read_cases(_arrow(source, _sources(columns)), policy=policy, columns=columns)


def read_interviews(
    source: Any,
    *,
    case_id: str = "case_id",
    person_id: str = "person_id",
    at: str = "at",
    note: str = "note",
    policy: _Policy = None,
) -> List[Dict[str, Any]]:
    """Contacts named in interviews (`record_interview_contact` records)
    from CSV text or a frame: the case, the person named, when they met
    (aware, naive in the policy's zone, or Unix seconds) and an optional
    note; the first bad cell raises `DataImportError`."""
    columns = _pairs(case_id=case_id, person_id=person_id, at=at, note=note)
    return _precinct.read_interviews(_arrow(source, _sources(columns)), policy=policy, columns=columns)


def read_residents(
    households: Any,
    persons: Any,
    *,
    household_id: str = "household_id",
    village: str = "village",
    group: str = "group",
    address: str = "address",
    landlord_id: str = "landlord_id",
    person_id: str = "person_id",
    name: str = "name",
    id_number: str = "id_number",
    person_household_id: str = "household_id",
    phone: str = "phone",
    has_smartphone: str = "has_smartphone",
    nationality: str = "nationality",
    policy: _Policy = None,
) -> Dict[str, List[Dict[str, Any]]]:
    """Households and persons (`{"households": [...], "persons": [...]}`)
    from two CSV texts or two frames, with every identity document checked;
    the first bad cell raises `DataImportError`."""
    household_columns = _pairs(household_id=household_id, village=village, group=group, address=address, landlord_id=landlord_id)
    person_columns = _pairs(
        person_id=person_id, name=name, id_number=id_number, household_id=person_household_id, phone=phone,
        has_smartphone=has_smartphone, nationality=nationality,
    )
    return _precinct.read_residents(
        _arrow(households, _sources(household_columns)),
        _arrow(persons, _sources(person_columns)),
        policy=policy,
        household_columns=household_columns,
        person_columns=person_columns,
    )


def read_resumption(
    enterprises: Any,
    reports: Any,
    *,
    enterprise_id: str = "enterprise_id",
    name: str = "name",
    village: str = "village",
    sector: str = "sector",
    workforce: str = "workforce",
    credit_code: str = "credit_code",
    above_scale: str = "above_scale",
    report_enterprise_id: str = "enterprise_id",
    date: str = "date",
    resumed: str = "resumed",
    workers_on_site: str = "workers_on_site",
    policy: _Policy = None,
) -> Dict[str, List[Dict[str, Any]]]:
    """Enterprises and their daily resumption reports
    (`{"enterprises": [...], "reports": [...]}`) from two CSV texts or two
    frames; the first bad cell, or a report that cannot be true, raises."""
    enterprise_columns = _pairs(
        enterprise_id=enterprise_id, name=name, village=village, sector=sector, workforce=workforce,
        credit_code=credit_code, above_scale=above_scale,
    )
    report_columns = _pairs(enterprise_id=report_enterprise_id, date=date, resumed=resumed, workers_on_site=workers_on_site)
    return _precinct.read_resumption(
        _arrow(enterprises, _sources(enterprise_columns)),
        _arrow(reports, _sources(report_columns)),
        policy=policy,
        enterprise_columns=enterprise_columns,
        report_columns=report_columns,
    )
