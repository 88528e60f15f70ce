"""One method per query of the record book, written by
`scripts/py_queries.py` from `core/src/facade/queries.rs`: each builds
the request and calls the compiled `query`; answers that are lists of
records come back as `Table`s. Do not edit by hand."""

from __future__ import annotations

import datetime
from typing import Any, Callable, Optional, Sequence, Union

from ._chains import ChainReport
from ._table import Table

_Moment = Union[datetime.datetime, str, int]
_Day = Union[datetime.date, datetime.datetime, str]


class Queries:
    """The queries of the record book, by name (mixed into `Book`)."""

    # Each method asks `Book.query`, the compiled book's one entry for queries.
    query: Callable[..., Any]

    def report_text(self, as_of: _Moment) -> Any:
        """The summary figures as text.

        as_of: As of when."""
        return self.query({"query": "report_text", "as_of": as_of}, tables=True)

    def records(self) -> Any:
        """Every registry as a list of records."""
        return self.query({"query": "records"}, tables=True)

    def export_csv(self) -> Any:
        """The six interchange files (visits, cases, households, persons, enterprises, reports) as CSV text, by name."""
        return self.query({"query": "export_csv"}, tables=True)

    def analytic_export(self, key: str) -> Any:
        """Persons under keyed pseudonyms, identities masked.

        key: The pseudonym key (text; at least 16 bytes)."""
        return self.query({"query": "analytic_export", "key": key}, tables=True)

    def persons(self) -> Table:
        """Registered persons."""
        return self.query({"query": "persons"}, tables=True)

    def households(self) -> Table:
        """Households."""
        return self.query({"query": "households"}, tables=True)

    def tenancies(self) -> Table:
        """Tenancies (who lived in which rented home, from when to when)."""
        return self.query({"query": "tenancies"}, tables=True)

    def screening_teams(self) -> Any:
        """Three-person screening teams."""
        return self.query({"query": "screening_teams"}, tables=True)

    def screenings(self) -> Table:
        """Screening visits of households."""
        return self.query({"query": "screenings"}, tables=True)

    def screening_coverage(self) -> Any:
        """Screening coverage of rental households."""
        return self.query({"query": "screening_coverage"}, tables=True)

    def commitments(self) -> Table:
        """Landlord commitments."""
        return self.query({"query": "commitments"}, tables=True)

    def households_without_commitment(self) -> Any:
        """Rental households without a landlord commitment."""
        return self.query({"query": "households_without_commitment"}, tables=True)

    def daily_reports(self, household: str) -> Any:
        """The daily "zero reports" of one household.

        household: Which household."""
        return self.query({"query": "daily_reports", "household": household}, tables=True)

    def missing_reports(self, day: _Day) -> Any:
        """Rental households missing the daily report of a local day.

        day: The local day."""
        return self.query({"query": "missing_reports", "day": day}, tables=True)

    def responsibility_gaps(self) -> Any:
        """Households with a gap in the responsibility tree."""
        return self.query({"query": "responsibility_gaps"}, tables=True)

    def responsibility_load(self) -> Any:
        """Households each staff member answers for."""
        return self.query({"query": "responsibility_load"}, tables=True)

    def who_answers(self, household: str) -> Any:
        """Who answers for one household (leader, cadre, party member).

        household: Which household."""
        return self.query({"query": "who_answers", "household": household}, tables=True)

    def returnees(self, as_of: _Moment) -> Any:
        """Persons back from a high-risk area within the look-back period.

        as_of: As of when."""
        return self.query({"query": "returnees", "as_of": as_of}, tables=True)

    def travels(self) -> Table:
        """Journeys recorded."""
        return self.query({"query": "travels"}, tables=True)

    def risk_areas(self) -> Any:
        """Risk areas and their levels over time."""
        return self.query({"query": "risk_areas"}, tables=True)

    def orders(self) -> Table:
        """Every isolation and observation order."""
        return self.query({"query": "orders"}, tables=True)

    def orders_in_force(self, day: _Day) -> Any:
        """Orders in force on a local day.

        day: The local day."""
        return self.query({"query": "orders_in_force", "day": day}, tables=True)

    def due_for_release(self, day: _Day) -> Any:
        """Orders due (or overdue) for release on a local day.

        day: The local day."""
        return self.query({"query": "due_for_release", "day": day}, tables=True)

    def cases(self) -> Table:
        """Confirmed cases."""
        return self.query({"query": "cases"}, tables=True)

    def interviews(self) -> Table:
        """Contacts named in interviews."""
        return self.query({"query": "interviews"}, tables=True)

    def close_contacts(self, cases: Optional[Sequence[str]] = None) -> Table:
        """The close contacts of these cases (every case when omitted), traced on visits, shared homes and interviews, with their evidence.

        cases: Which cases."""
        return self.query({"query": "close_contacts", "cases": cases}, tables=True)

    def second_ring(self, start: _Moment, end: _Moment, *, cases: Optional[Sequence[str]] = None) -> Any:
        """Contacts of the close contacts (second ring) over `[start, end)`.

        start: Start of the window.
        end: End of the window (exclusive).
        cases: Which cases (every case when omitted)."""
        return self.query({"query": "second_ring", "start": start, "end": end, "cases": cases}, tables=True)

    def contacts(self) -> Table:
        """The contact log: each close contact with notification and isolation."""
        return self.query({"query": "contacts"}, tables=True)

    def follow_up(self) -> Any:
        """How many contacts were notified and isolated, and by when."""
        return self.query({"query": "follow_up"}, tables=True)

    def chains(self) -> ChainReport:
        """Transmission chains: clusters, generations, serial intervals, problems."""
        return ChainReport(self.query({"query": "chains"}, tables=True))

    def passes(self) -> Table:
        """Passes issued (holders masked)."""
        return self.query({"query": "passes"}, tables=True)

    def revocation_list(self) -> Any:
        """Serials of revoked passes, as checkpoints download them."""
        return self.query({"query": "revocation_list"}, tables=True)

    def passes_per_day(self) -> Table:
        """Passes issued per local day and kind."""
        return self.query({"query": "passes_per_day"}, tables=True)

    def crossings(self) -> Table:
        """Checkpoint checks recorded."""
        return self.query({"query": "crossings"}, tables=True)

    def station_keys(self) -> Any:
        """The station's signing keys (public halves) and when they were in force."""
        return self.query({"query": "station_keys"}, tables=True)

    def stays(self) -> Table:
        """Foreign nationals' stays."""
        return self.query({"query": "stays"}, tables=True)

    def overdue_registrations(self, as_of: _Moment) -> Any:
        """Stays past their registration deadline at a moment.

        as_of: As of when."""
        return self.query({"query": "overdue_registrations", "as_of": as_of}, tables=True)

    def registered_late(self) -> Any:
        """Stays registered after their deadline."""
        return self.query({"query": "registered_late"}, tables=True)

    def registration_deadline(self, stay: str) -> Any:
        """The registration deadline of one stay.

        stay: Which stay."""
        return self.query({"query": "registration_deadline", "stay": stay}, tables=True)

    def certificates(self) -> Table:
        """Certificates issued."""
        return self.query({"query": "certificates"}, tables=True)

    def papers_held(self) -> Any:
        """Certificates whose paper copy is held at the station."""
        return self.query({"query": "papers_held"}, tables=True)

    def service_ledger(self) -> Table:
        """The service ledger."""
        return self.query({"query": "service_ledger"}, tables=True)

    def service_counts(self, from_: _Day, to: _Day) -> Table:
        """Services by kind and channel between two local days (inclusive).

        from_: First day.
        to: Last day."""
        return self.query({"query": "service_counts", "from": from_, "to": to}, tables=True)

    def enterprises(self) -> Table:
        """Enterprises."""
        return self.query({"query": "enterprises"}, tables=True)

    def enterprise_reports(self) -> Table:
        """Enterprises' daily resumption reports."""
        return self.query({"query": "enterprise_reports"}, tables=True)

    def resumption_rates(self, day: _Day, *, by: str = "all") -> Table:
        """Resumption rates on a local day, grouped.

        day: The local day.
        by: `all` (default), `village`, `sector` or `size`."""
        return self.query({"query": "resumption_rates", "day": day, "by": by}, tables=True)

    def resumption_series(self, from_: _Day, to: _Day, *, by: str = "all") -> Table:
        """Resumption rates day by day, grouped.

        from_: First day.
        to: Last day.
        by: `all` (default), `village`, `sector` or `size`."""
        return self.query({"query": "resumption_series", "from": from_, "to": to, "by": by}, tables=True)

    def migrant_workers(self) -> Table:
        """Migrant workers and their remote verification."""
        return self.query({"query": "migrant_workers"}, tables=True)

    def days_to_start(self) -> Any:
        """Days from arrival to the start of work, for each worker who started."""
        return self.query({"query": "days_to_start"}, tables=True)
