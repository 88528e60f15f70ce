"""One method per query of the record book, written by
`scripts/py_queries.py` from `core/src/facade/queries.rs`: each builds
the request and calls the compiled `query`. Do not edit by hand."""

from __future__ import annotations

import datetime
from typing import Any, Callable, Optional, Sequence, Union

from ._table import Table

_Moment = Union[datetime.datetime, str, int]
_Day = Union[datetime.date, datetime.datetime, str]


class Queries:
    """The queries of the record book, by name (mixed into `Book`)."""

    # Each method asks `Book.query`, the compiled book's one entry for queries.
    query: Callable[[Any], Any]

    def report_text(self, as_of: _Moment) -> Any:
        """The summary figures as text.

        as_of: As of when."""
        return self.query({"query": "report_text", "as_of": as_of})

    def records(self) -> Any:
        """Every registry as a list of records."""
        return self.query({"query": "records"})

    def export_csv(self) -> Any:
        """The six interchange files (visits, cases, households, persons, enterprises, reports) as CSV text, by name."""
        return self.query({"query": "export_csv"})

    def analytic_export(self, key: str) -> Any:
        """Persons under keyed pseudonyms, identities masked.

        key: The pseudonym key (text; at least 16 bytes)."""
        return self.query({"query": "analytic_export", "key": key})

    def persons(self) -> Any:
        """Registered persons."""
        return self.query({"query": "persons"})

    def households(self) -> Any:
        """Households."""
        return self.query({"query": "households"})

    def tenancies(self) -> Any:
        """Tenancies (who lived in which rented home, from when to when)."""
        return self.query({"query": "tenancies"})

    def screening_teams(self) -> Any:
        """Three-person screening teams."""
        return self.query({"query": "screening_teams"})

    def screenings(self) -> Any:
        """Screening visits of households."""
        return self.query({"query": "screenings"})

    def screening_coverage(self) -> Any:
        """Screening coverage of rental households."""
        return self.query({"query": "screening_coverage"})

    def commitments(self) -> Any:
        """Landlord commitments."""
        return self.query({"query": "commitments"})

    def households_without_commitment(self) -> Any:
        """Rental households without a landlord commitment."""
        return self.query({"query": "households_without_commitment"})

    def daily_reports(self, household: str) -> Any:
        """The daily "zero reports" of one household.

        household: Which household."""
        return self.query({"query": "daily_reports", "household": household})

    def missing_reports(self, day: _Day) -> Any:
        """Rental households missing the daily report of a local day.

        day: The local day."""
        return self.query({"query": "missing_reports", "day": day})

    def responsibility_gaps(self) -> Any:
        """Households with a gap in the responsibility tree."""
        return self.query({"query": "responsibility_gaps"})

    def responsibility_load(self) -> Any:
        """Households each staff member answers for."""
        return self.query({"query": "responsibility_load"})

    def who_answers(self, household: str) -> Any:
        """Who answers for one household (leader, cadre, party member).

        household: Which household."""
        return self.query({"query": "who_answers", "household": household})

    def returnees(self, as_of: _Moment) -> Any:
        """Persons back from a high-risk area within the look-back period.

        as_of: As of when."""
        return self.query({"query": "returnees", "as_of": as_of})

    def travels(self) -> Any:
        """Journeys recorded."""
        return self.query({"query": "travels"})

    def risk_areas(self) -> Any:
        """Risk areas and their levels over time."""
        return self.query({"query": "risk_areas"})

    def orders(self) -> Any:
        """Every isolation and observation order."""
        return self.query({"query": "orders"})

    def orders_in_force(self, day: _Day) -> Any:
        """Orders in force on a local day.

        day: The local day."""
        return self.query({"query": "orders_in_force", "day": day})

    def due_for_release(self, day: _Day) -> Any:
        """Orders due (or overdue) for release on a local day.

        day: The local day."""
        return self.query({"query": "due_for_release", "day": day})

    def cases(self) -> Any:
        """Confirmed cases."""
        return self.query({"query": "cases"})

    def interviews(self) -> Any:
        """Contacts named in interviews."""
        return self.query({"query": "interviews"})

    def close_contacts(self, cases: Optional[Sequence[str]] = None) -> Any:
        """The close contacts of these cases (every case when omitted), traced on visits, shared homes and interviews, with their evidence.

        cases: Which cases."""
        return self.query({"query": "close_contacts", "cases": cases})

    def second_ring(self, start: _Moment, end: _Moment, *, cases: Optional[Sequence[str]] = None) -> Any:
        """Contacts of the close contacts (second ring) over `[start, end)`.

        start: Start of the window.
        end: End of the window (exclusive).
        cases: Which cases (every case when omitted)."""
        return self.query({"query": "second_ring", "start": start, "end": end, "cases": cases})

    def contacts(self) -> Any:
        """The contact log: each close contact with notification and isolation."""
        return self.query({"query": "contacts"})

    def follow_up(self) -> Any:
        """How many contacts were notified and isolated, and by when."""
        return self.query({"query": "follow_up"})

    def chains(self) -> Any:
        """Transmission chains: clusters, generations, serial intervals, problems."""
        return self.query({"query": "chains"})

    def passes(self) -> Any:
        """Passes issued (holders masked)."""
        return self.query({"query": "passes"})

    def revocation_list(self) -> Any:
        """Serials of revoked passes, as checkpoints download them."""
        return self.query({"query": "revocation_list"})

    def passes_per_day(self) -> Table:
        """Passes issued per local day and kind."""
        return Table.from_records(self.query({"query": "passes_per_day"}))

    def crossings(self) -> Any:
        """Checkpoint checks recorded."""
        return self.query({"query": "crossings"})

    def station_keys(self) -> Any:
        """The station's signing keys (public halves) and when they were in force."""
        return self.query({"query": "station_keys"})

    def stays(self) -> Any:
        """Foreign nationals' stays."""
        return self.query({"query": "stays"})

    def overdue_registrations(self, as_of: _Moment) -> Any:
        """Stays past their registration deadline at a moment.

        as_of: As of when."""
        return self.query({"query": "overdue_registrations", "as_of": as_of})

    def registered_late(self) -> Any:
        """Stays registered after their deadline."""
        return self.query({"query": "registered_late"})

    def registration_deadline(self, stay: str) -> Any:
        """The registration deadline of one stay.

        stay: Which stay."""
        return self.query({"query": "registration_deadline", "stay": stay})

    def certificates(self) -> Any:
        """Certificates issued."""
        return self.query({"query": "certificates"})

    def papers_held(self) -> Any:
        """Certificates whose paper copy is held at the station."""
        return self.query({"query": "papers_held"})

    def service_ledger(self) -> Any:
        """The service ledger."""
        return self.query({"query": "service_ledger"})

    def service_counts(self, from_: _Day, to: _Day) -> Table:
        """Services by kind and channel between two local days (inclusive).

        from_: First day.
        to: Last day."""
        return Table.from_records(self.query({"query": "service_counts", "from": from_, "to": to}))

    def enterprises(self) -> Any:
        """Enterprises."""
        return self.query({"query": "enterprises"})

    def enterprise_reports(self) -> Any:
        """Enterprises' daily resumption reports."""
        return self.query({"query": "enterprise_reports"})

    def resumption_rates(self, day: _Day, *, by: str = "all") -> Table:
        """Resumption rates on a local day, grouped.

        day: The local day.
        by: `all` (default), `village`, `sector` or `size`."""
        return Table.from_records(self.query({"query": "resumption_rates", "day": day, "by": by}))

    def resumption_series(self, from_: _Day, to: _Day, *, by: str = "all") -> Table:
        """Resumption rates day by day, grouped.

        from_: First day.
        to: Last day.
        by: `all` (default), `village`, `sector` or `size`."""
        return Table.from_records(self.query({"query": "resumption_series", "from": from_, "to": to, "by": by}))

    def migrant_workers(self) -> Any:
        """Migrant workers and their remote verification."""
        return self.query({"query": "migrant_workers"})

    def days_to_start(self) -> Any:
        """Days from arrival to the start of work, for each worker who started."""
        return self.query({"query": "days_to_start"})
