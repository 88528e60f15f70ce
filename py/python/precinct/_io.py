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

_Policy = Union[str, Dict[str, Any], None]


def _arrow(frame: Any) -> Any:
    """The frame as something with `__arrow_c_stream__`: pandas before 2.2
    has no such method, and pyarrow converts it."""
    if isinstance(frame, str):
        return frame
    # pandas goes through pyarrow here even where it has the interface, so
    # that an object column of mixed types can be taken cell by cell.
    if type(frame).__module__.startswith("pandas"):
        try:
            import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        except ImportError as e:  # pragma: no cover - pyarrow is in the pandas extra
            raise ImportError('reading a pandas DataFrame needs pyarrow: pip install "precinct[pandas]"') from e
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            # An object column of mixed types (text and timestamps, as
            # spreadsheets give): each cell as its text, by its type.
            fixed = frame.copy()
            for name in frame.columns:
                if frame[name].dtype == object:
                    try:
                        pa.array(frame[name], from_pandas=True)
                    except (pa.ArrowTypeError, pa.ArrowInvalid):
                        fixed[name] = frame[name].map(_cell_text)
            return pa.Table.from_pandas(fixed, preserve_index=False)
    return frame


def _cell_text(value: Any) -> Optional[str]:
    """A cell of a mixed column as a CSV file would hold it."""
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _pairs(**names: str) -> List[Tuple[str, str]]:
    return list(names.items())


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
    missing: Sequence[str] = ("NA",),
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
    columns: Dict[str, Optional[str]] = {"id": id, "infected_by": infected_by, "onset": onset, "confirmed": confirmed, "from": infector, "to": infectee}
    if isinstance(cases, (list, tuple)) and contacts is None:
        return ChainReport(_precinct.chains(list(cases), policy=policy))
    return ChainReport(
        _precinct.chains(_arrow(cases), policy=policy, contacts=None if contacts is None else _arrow(contacts), columns=columns, missing=list(missing))
    )


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
    return _precinct.read_cases(_arrow(source), policy=policy, columns=columns)


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
    return _precinct.read_interviews(_arrow(source), policy=policy, columns=columns)


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
    return _precinct.read_residents(
        _arrow(households),
        _arrow(persons),
        policy=policy,
        household_columns=_pairs(household_id=household_id, village=village, group=group, address=address, landlord_id=landlord_id),
        person_columns=_pairs(
            person_id=person_id, name=name, id_number=id_number, household_id=person_household_id, phone=phone,
            has_smartphone=has_smartphone, nationality=nationality,
        ),
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
    return _precinct.read_resumption(
        _arrow(enterprises),
        _arrow(reports),
        policy=policy,
        enterprise_columns=_pairs(
            enterprise_id=enterprise_id, name=name, village=village, sector=sector, workforce=workforce,
            credit_code=credit_code, above_scale=above_scale,
        ),
        report_columns=_pairs(enterprise_id=report_enterprise_id, date=date, resumed=resumed, workers_on_site=workers_on_site),
    )
