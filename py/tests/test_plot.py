"""precinct.plot: what each drawing puts on the axes, from tables made by
hand with the columns the library's answers have."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
pytest.importorskip("networkx")
matplotlib.use("Agg")  # this test module only: no display needed

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from precinct import plot  # noqa: E402
from precinct._table import Table  # noqa: E402

D = dt.date


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def chains_report() -> SimpleNamespace:
    """Cluster 1: X (not on the list) -> A -> B, A -> C, C -> D (D has no
    onset). Cluster 2: E <-> F, a loop reachable from nowhere else, so
    neither has a generation. Cluster 3: G alone."""
    cases = Table({
        "case": ["A", "B", "C", "D", "E", "F", "G"],
        "cluster": [1, 1, 1, 1, 2, 2, 3],
        "cluster_size": [4, 4, 4, 4, 2, 2, 1],
        "generation": [1, 2, 2, 3, None, None, 1],
        "infected_by": ["X", "A", "A", "C", "F", "E", ""],
        "secondary_cases": [2, 0, 1, 0, 1, 1, 0],
        "onset": [D(2020, 2, 1), D(2020, 2, 4), D(2020, 2, 4), None, D(2020, 2, 9), D(2020, 2, 10), D(2020, 2, 1)],
        "confirmed": [D(2020, 2, 3), D(2020, 2, 6), D(2020, 2, 6), D(2020, 2, 8), D(2020, 2, 11), D(2020, 2, 11), D(2020, 2, 2)],
    })
    links = Table({
        "infector": ["X", "A", "A", "C", "F", "E"],
        "infectee": ["A", "B", "C", "D", "E", "F"],
        "infector_listed": [False, True, True, True, True, True],
    })
    return SimpleNamespace(cases=cases, links=links)


def dots(ax) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def legend_texts(ax) -> list:
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend is not None else []


def bars(ax) -> list:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


# -- network ---------------------------------------------------------------------


def test_network_draws_every_case_and_the_placeholder():
    ax = plot.network(chains_report())
    assert dots(ax) == 8  # 7 cases and X
    assert len([p for p in ax.patches if isinstance(p, FancyArrowPatch)]) == 6
    assert ax.get_title() == "Transmission network (7 cases, 3 clusters)"
    texts = legend_texts(ax)
    assert texts == ["cluster 1 (4 cases)", "cluster 2 (2 cases)", "cases without links", "infector not on the list"]
    # Fewer than 60 dots: each is labelled with its id.
    assert sorted(t.get_text() for t in ax.texts) == ["A", "B", "C", "D", "E", "F", "G", "X"]


def test_network_draws_the_placeholder_hollow_and_grey():
    ax = plot.network(chains_report())
    hollow = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_label() == "infector not on the list"]
    assert len(hollow) == 1 and len(hollow[0].get_offsets()) == 1
    assert len(hollow[0].get_facecolors()) == 0 or hollow[0].get_facecolors()[0][3] == 0


def test_network_dot_grows_with_secondary_cases():
    ax = plot.network(chains_report())
    first = next(c for c in ax.collections if c.get_label() == "cluster 1 (4 cases)")
    sizes = dict(zip(["A", "B", "C", "D"], first.get_sizes()))
    assert sizes["A"] > sizes["C"] > sizes["B"] == sizes["D"]


def test_network_largest_cluster_only():
    ax = plot.network(chains_report(), clusters=1)
    assert dots(ax) == 5  # A, B, C, D and their infector X
    assert sorted(t.get_text() for t in ax.texts) == ["A", "B", "C", "D", "X"]
    assert ax.get_title() == "Transmission network (4 cases, the largest of 3 clusters)"


def test_network_by_generation():
    ax = plot.network(chains_report(), color="generation", labels=False)
    assert dots(ax) == 8
    assert legend_texts(ax) == ["generation 1", "generation 2", "generation 3", "no generation (in a loop)",
                                "infector not on the list"]
    assert len(ax.texts) == 0


def test_network_large_draws_lines_and_no_labels():
    n = 700  # one chain of 700 cases: laid out radially, links as lines
    cases = Table({
        "case": [f"c{i}" for i in range(n)],
        "cluster": np.ones(n, dtype=np.int64),
        "cluster_size": np.full(n, n),
        "secondary_cases": np.array([1] * (n - 1) + [0]),
    })
    links = Table({
        "infector": [f"c{i}" for i in range(n - 1)],
        "infectee": [f"c{i + 1}" for i in range(n - 1)],
        "infector_listed": np.ones(n - 1, dtype=bool),
    })
    ax = plot.network(SimpleNamespace(cases=cases, links=links))
    assert dots(ax) == n
    assert len(ax.texts) == 0
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines) == 1 and len(lines[0].get_segments()) == n - 1


def test_network_checks_its_input():
    report = chains_report()
    with pytest.raises(ValueError, match=r"needs the columns case, cluster, cluster_size, secondary_cases, generation; "
                                         r"the table has case, cluster, cluster_size, secondary_cases"):
        plot.network(SimpleNamespace(cases=Table({k: report.cases[k] for k in
                                                  ["case", "cluster", "cluster_size", "secondary_cases"]}),
                                     links=report.links), color="generation")
    with pytest.raises(ValueError, match="infector_listed"):
        plot.network(SimpleNamespace(cases=report.cases, links=Table({"infector": ["A"], "infectee": ["B"]})))
    with pytest.raises(ValueError, match="`size`"):
        plot.network(report, color="size")
    with pytest.raises(ValueError, match="at least 1"):
        plot.network(report, clusters=0)
    with pytest.raises(TypeError, match="chains report"):
        plot.network(report.cases)


def test_network_onto_given_axes():
    fig, ax = plt.subplots()
    assert plot.network(chains_report(), ax=ax) is ax


def test_network_of_one_case():
    report = chains_report()
    one = SimpleNamespace(cases=Table({k: report.cases[k][6:] for k in report.cases.names}),
                          links=Table({k: report.links[k][:0] for k in report.links.names}))
    ax = plot.network(one)
    assert dots(ax) == 1
    assert ax.get_title() == "Transmission network (1 case, 1 cluster)"
    assert ax.get_legend() is None


# -- epicurve --------------------------------------------------------------------


def test_epicurve_by_onset_skips_cases_without_a_date():
    ax = plot.epicurve(chains_report())
    heights = sorted((mdates.num2date(p.get_x() + p.get_width() / 2).date(), p.get_height()) for p in bars(ax))
    assert heights == [(D(2020, 2, 1), 2), (D(2020, 2, 4), 2), (D(2020, 2, 9), 1), (D(2020, 2, 10), 1)]
    assert ax.get_xlabel() == "date of symptom onset"
    assert ax.get_ylabel() == "cases"
    assert "1 without a date" in ax.get_title() and "6 cases" in ax.get_title()
    assert ax.get_legend() is None
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)


def test_epicurve_by_confirmation_from_a_table():
    ax = plot.epicurve(chains_report().cases, by="confirmed")
    assert len(bars(ax)) == 5
    assert sum(p.get_height() for p in bars(ax)) == 7
    assert ax.get_xlabel() == "date of confirmation"
    assert "without a date" not in ax.get_title()


def test_epicurve_stacked_by_generation():
    ax = plot.epicurve(chains_report(), by="confirmed", stack="generation")
    assert legend_texts(ax) == ["generation 1", "generation 2", "generation 3", "no generation (in a loop)"]
    assert len(bars(ax)) == 5 * 4  # every layer over every day
    assert sum(p.get_height() for p in bars(ax)) == 7


def test_epicurve_accepts_a_dataframe():
    pytest.importorskip("pandas")
    frame = chains_report().cases.to_pandas()
    ax = plot.epicurve(frame)
    assert sum(p.get_height() for p in bars(ax)) == 6
    frame["generation"] = frame["generation"].astype("Int64")  # None as pandas.NA
    ax = plot.epicurve(frame, stack="generation")
    assert legend_texts(ax) == ["generation 1", "generation 2", "no generation (in a loop)"]


def test_epicurve_checks_its_input():
    with pytest.raises(ValueError, match="epicurve needs the columns onset; the table has case, confirmed"):
        plot.epicurve(Table({"case": ["A"], "confirmed": [D(2020, 2, 1)]}))
    with pytest.raises(ValueError, match="`reported`"):
        plot.epicurve(chains_report(), by="reported")


# -- resumption ------------------------------------------------------------------


def resumption_series(groups=("Dongcun", "Xicun")) -> Table:
    days = [D(2020, 2, 10) + dt.timedelta(days=i) for i in range(5)]
    rows = []
    for g, group in enumerate(groups):
        for i, day in enumerate(days):
            rows.append({"date": day, "group": group, "enterprises": 10, "resumed": i + g, "workforce": 100,
                         "on_site": 10 * i, "enterprise_rate": (i + g) / 10, "workforce_rate": i / 10})
    return Table.from_records(rows)


def test_resumption_a_line_per_group():
    ax = plot.resumption(resumption_series())
    assert len(ax.get_lines()) == 2
    assert legend_texts(ax) == ["Dongcun", "Xicun"]
    assert list(ax.get_lines()[1].get_ydata()) == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "enterprises resumed"
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)


def test_resumption_both_rates_solid_and_dashed():
    ax = plot.resumption(resumption_series(), rate="both")
    lines = ax.get_lines()
    assert len(lines) == 4
    assert sorted(line.get_linestyle() for line in lines) == ["-", "-", "--", "--"]
    assert legend_texts(ax) == ["Dongcun", "Xicun", "enterprises resumed", "workforce on site"]


def test_resumption_single_group_has_no_legend():
    ax = plot.resumption(resumption_series(("all",)), rate="workforce_rate")
    assert len(ax.get_lines()) == 1
    assert ax.get_legend() is None
    assert ax.get_title() == "Return to work: workforce on site (all)"
    assert ax.get_ylabel() == "workforce on site"


def test_resumption_checks_its_input():
    with pytest.raises(ValueError, match="resumption needs the columns date, group, workforce_rate"):
        plot.resumption(Table({"date": [D(2020, 2, 1)], "group": ["all"], "enterprise_rate": [0.5]}),
                        rate="workforce_rate")
    with pytest.raises(ValueError, match="`rate`"):
        plot.resumption(resumption_series(), rate="rate")


# -- passes and services ---------------------------------------------------------


def test_passes_per_day_stacked_by_kind():
    table = Table({
        "date": [D(2020, 2, 5), D(2020, 2, 5), D(2020, 2, 6), D(2020, 2, 8)],
        "kind": ["county", "worker", "county", "worker"],
        "count": [104, 3, 103, 7],
    })
    ax = plot.passes_per_day(table)
    assert len(bars(ax)) == 3 * 2
    assert sum(p.get_height() for p in bars(ax)) == 217
    assert legend_texts(ax) == ["county", "worker"]
    assert ax.get_ylabel() == "passes" and ax.get_xlabel() == "date"


def test_passes_per_day_checks_its_input():
    with pytest.raises(ValueError, match="passes_per_day needs the columns date, kind, count; the table has date, count"):
        plot.passes_per_day(Table({"date": [D(2020, 2, 5)], "count": [1]}))


def test_services_by_kind_and_channel():
    table = Table({
        "kind": ["household_registration", "household_registration", "exit_entry", "passes", "vehicles_and_drivers"],
        "channel": ["window", "online", "online", "window", "home_visit"],
        "count": [259, 379, 165, 9211, 91],
    })
    ax = plot.services(table)
    assert len(bars(ax)) == 4 * 3  # kinds x channels
    assert sum(p.get_width() for p in bars(ax)) == 259 + 379 + 165 + 9211 + 91
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "vehicles and drivers", "exit entry", "household registration", "passes"]
    assert legend_texts(ax) == ["window", "online", "home visit"]
    assert [t.get_text() for t in ax.texts] == ["91", "165", "638", "9,211"]
    assert ax.get_xlabel() == "services"


def test_services_per_day():
    table = Table({"date": [D(2020, 2, 5), D(2020, 2, 6)], "kind": ["passes", "passes"], "count": [3, 4]})
    ax = plot.services(table)
    assert len(bars(ax)) == 2
    assert ax.get_legend() is None
    assert ax.get_title() == "Services per day (passes)"


def test_services_checks_its_input():
    with pytest.raises(ValueError, match="services needs the columns kind, channel, count .*the table has kind, count"):
        plot.services(Table({"kind": ["passes"], "count": [1]}))
    with pytest.raises(ValueError, match=r"services \(per day\) needs the columns date, kind, count"):
        plot.services(Table({"date": [D(2020, 2, 5)], "count": [1]}))


# -- degenerate inputs -----------------------------------------------------------
# An empty answer of the record book is a Table without rows and without
# columns; a chains report's tables keep their columns when empty. Either
# draws empty axes whose title says there is nothing to draw.

CASE_COLUMNS = ["case", "cluster", "cluster_size", "generation", "infected_by", "secondary_cases", "onset", "confirmed"]
LINK_COLUMNS = ["infector", "infectee", "infector_listed", "serial_interval"]


def empty(names=()) -> Table:
    """A table of 0 rows: without columns (`Table({})`) or with these."""
    return Table({n: np.array([], dtype=object) for n in names})


def drawn_empty(ax) -> None:
    """Nothing on the axes, no legend, and the figure renders."""
    assert not ax.patches and not ax.lines and not ax.collections and not ax.texts
    assert ax.get_legend() is None
    ax.figure.canvas.draw()


def with_and_without_columns(names):
    return pytest.mark.parametrize("table", [empty(), empty(names)], ids=["no columns", "with columns"])


@pytest.mark.parametrize("color", ["cluster", "generation"])
@pytest.mark.parametrize("columns", [False, True], ids=["no columns", "with columns"])
def test_network_of_no_cases(color, columns):
    report = SimpleNamespace(cases=empty(CASE_COLUMNS if columns else ()),
                             links=empty(LINK_COLUMNS if columns else ()))
    fig, given = plt.subplots()
    ax = plot.network(report, color=color, ax=given)
    assert ax is given
    assert ax.get_title() == "Transmission network (no cases)"
    drawn_empty(ax)


@pytest.mark.parametrize("color", ["cluster", "generation"])
@pytest.mark.parametrize("links", [empty(), empty(LINK_COLUMNS)], ids=["no columns", "with columns"])
def test_network_of_cases_without_links(color, links):
    # One case, then two (each infected by itself only: the link dropped).
    cases = Table({"case": ["A"], "cluster": [1], "cluster_size": [1], "generation": [1], "secondary_cases": [0]})
    ax = plot.network(SimpleNamespace(cases=cases, links=links), color=color)
    assert dots(ax) == 1 and [t.get_text() for t in ax.texts] == ["A"]
    assert ax.get_title() == "Transmission network (1 case, 1 cluster)"
    ax.figure.canvas.draw()
    cases = Table({"case": ["A", "B"], "cluster": [1, 2], "cluster_size": [1, 1], "generation": [1, 1],
                   "infected_by": ["A", "B"], "secondary_cases": [0, 0]})
    ax = plot.network(SimpleNamespace(cases=cases, links=links), color=color)
    assert dots(ax) == 2 and not ax.patches
    assert ax.get_title() == "Transmission network (2 cases, 2 clusters)"
    ax.figure.canvas.draw()


def test_network_leaves_out_an_infection_of_oneself():
    cases = Table({"case": ["A", "B"], "cluster": [1, 2], "cluster_size": [1, 1], "secondary_cases": [0, 0]})
    links = Table({"infector": ["A"], "infectee": ["A"], "infector_listed": [True]})
    ax = plot.network(SimpleNamespace(cases=cases, links=links))
    assert dots(ax) == 2 and not ax.patches
    assert legend_texts(ax) == []
    ax.figure.canvas.draw()


@pytest.mark.parametrize("stack", [None, "generation", "cluster"])
@pytest.mark.parametrize("by", ["onset", "confirmed"])
@pytest.mark.parametrize("columns", [False, True], ids=["no columns", "with columns"])
def test_epicurve_of_no_cases(stack, by, columns):
    cases = empty(CASE_COLUMNS if columns else ())
    for given in (cases, SimpleNamespace(cases=cases, links=empty(LINK_COLUMNS if columns else ()))):
        ax = plot.epicurve(given, by=by, stack=stack)
        what = {"onset": "symptom onset", "confirmed": "confirmation"}[by]
        assert ax.get_title() == f"Epidemic curve (no cases with a date of {what})"
        assert ax.get_xlabel() == f"date of {what}" and ax.get_ylabel() == "cases"
        drawn_empty(ax)


def test_epicurve_of_cases_without_dates():
    cases = Table({"case": ["A", "B"], "cluster": [1, 1], "generation": [1, 2],
                   "onset": np.array([None, None], dtype=object)})
    ax = plot.epicurve(cases, stack="generation")
    assert ax.get_title() == "Epidemic curve (no cases with a date of symptom onset; 2 without one)"
    drawn_empty(ax)


def test_epicurve_of_an_empty_dataframe():
    pytest.importorskip("pandas")
    for table in (empty(), empty(CASE_COLUMNS)):
        ax = plot.epicurve(table.to_pandas(), by="confirmed")
        assert ax.get_title() == "Epidemic curve (no cases with a date of confirmation)"
        drawn_empty(ax)


def test_epicurve_names_the_type_of_what_it_cannot_draw():
    big = {"onset": [D(2020, 2, 1)] * 10_000}
    for value, name in ((big, "dict"), (list(range(10_000)), "list"), ("onset", "str"), (None, "NoneType")):
        with pytest.raises(TypeError, match=rf"^epicurve draws a chains report or a table .*, not `{name}`$") as e:
            plot.epicurve(value)
        assert len(str(e.value)) < 120
    with pytest.raises(TypeError, match=r"^epicurve \(report.cases\) draws .*, not `list`$"):
        plot.epicurve(SimpleNamespace(cases=[1, 2], links=[]))
    with pytest.raises(TypeError, match=r"not `dict`$"):
        plot.passes_per_day({"date": [], "kind": [], "count": []})


def test_a_dataframe_with_a_cases_column_is_a_table():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"onset": [D(2020, 2, 1), D(2020, 2, 2)], "cases": [3, 4]})
    ax = plot.epicurve(frame)
    assert sum(p.get_height() for p in bars(ax)) == 2


def test_pyarrow_and_polars_tables_are_drawn():
    pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    frames = [lambda t: pa.table({k: t[k].tolist() for k in t.names})]
    try:
        import polars as pl
        frames.append(lambda t: pl.DataFrame({k: t[k].tolist() for k in t.names}))
    except ImportError:  # pragma: no cover - depends on the environment
        pass
    passes = Table({"date": [D(2020, 2, 5), D(2020, 2, 5), D(2020, 2, 6)], "kind": ["county", "worker", "county"],
                    "count": [104, 3, 103]})
    cases = Table({k: chains_report().cases[k] for k in ["case", "cluster", "generation", "onset", "confirmed"]})
    for frame in frames:
        ax = plot.epicurve(frame(cases), stack="generation")
        assert sum(p.get_height() for p in bars(ax)) == 6
        assert legend_texts(ax) == ["generation 1", "generation 2", "no generation (in a loop)"]
        ax = plot.passes_per_day(frame(passes))
        assert sum(p.get_height() for p in bars(ax)) == 210
        ax = plot.resumption(frame(resumption_series()))
        assert len(ax.get_lines()) == 2
        # Missing columns: the usual ValueError, naming them (not the data).
        with pytest.raises(ValueError, match=r"^passes_per_day needs the columns date, kind, count; the table has "
                                             r"case, cluster, generation, onset, confirmed \(missing: date, kind, count\)$"):
            plot.passes_per_day(frame(cases))


@pytest.mark.parametrize("rate", ["enterprise_rate", "workforce_rate", "both"])
@with_and_without_columns(["date", "group", "enterprises", "resumed", "workforce", "on_site", "enterprise_rate",
                           "workforce_rate"])
def test_resumption_of_no_reports(table, rate):
    ax = plot.resumption(table, rate=rate)
    what = {"enterprise_rate": "enterprises resumed", "workforce_rate": "workforce on site",
            "both": "enterprises resumed and workforce on site"}[rate]
    assert ax.get_title() == f"Return to work: {what} (no reports)"
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == ("share" if rate == "both" else what)
    drawn_empty(ax)


@with_and_without_columns(["date", "kind", "count"])
def test_passes_per_day_of_none(table):
    ax = plot.passes_per_day(table)
    assert ax.get_title() == "Passes per day (none issued)"
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "passes"
    drawn_empty(ax)


@with_and_without_columns(["kind", "channel", "count"])
def test_services_over_an_empty_period(table):
    ax = plot.services(table)
    assert ax.get_title() == "Services by kind and channel (none recorded)"
    assert ax.get_xlabel() == "services" and ax.get_ylabel() == "kind of service"
    drawn_empty(ax)


def test_services_per_day_of_none():
    ax = plot.services(empty(["date", "kind", "count"]))
    assert ax.get_title() == "Services per day (none recorded)"
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "services"
    drawn_empty(ax)


def test_the_record_books_empty_answers():
    book = pytest.importorskip("precinct").Book.in_memory()
    drawings = [
        (plot.passes_per_day(book.passes_per_day()), "Passes per day (none issued)"),
        (plot.services(book.service_counts(D(2020, 2, 1), D(2020, 2, 7))), "Services by kind and channel (none recorded)"),
        (plot.resumption(book.resumption_series(D(2020, 2, 1), D(2020, 2, 7))),
         "Return to work: enterprises resumed (no reports)"),
        (plot.network(book.chains()), "Transmission network (no cases)"),
        (plot.epicurve(book.chains()), "Epidemic curve (no cases with a date of symptom onset)"),
    ]
    for ax, title in drawings:
        assert ax.get_title() == title
        drawn_empty(ax)


def test_rows_without_the_needed_columns_still_raise():
    with pytest.raises(ValueError, match=r"passes_per_day needs the columns date, kind, count; the table has date "
                                         r"\(missing: kind, count\)"):
        plot.passes_per_day(Table({"date": [D(2020, 2, 5)]}))
    cases = Table({"case": ["A"], "cluster": [1], "cluster_size": [1], "secondary_cases": [0]})
    with pytest.raises(ValueError, match=r"epicurve needs the columns onset; the table has case, cluster"):
        plot.epicurve(SimpleNamespace(cases=cases, links=empty(LINK_COLUMNS)))
    with pytest.raises(ValueError, match=r"network \(report.links\) needs the columns infector, infectee, "
                                         r"infector_listed; the table has infector \(missing: infectee, infector_listed\)"):
        plot.network(SimpleNamespace(cases=cases, links=Table({"infector": ["A"]})))


def test_epicurve_draws_a_tables_time_column_by_its_local_days():
    """The record book's cases have their confirmations as times (Unix
    seconds in a Table's time column): drawn by their local day."""
    import zoneinfo

    cst = zoneinfo.ZoneInfo("Asia/Shanghai")
    # 2020-01-26 23:30 in Shanghai is 15:30 UTC: the local day is the 26th.
    seconds = int(dt.datetime(2020, 1, 26, 23, 30, tzinfo=cst).timestamp())
    table = Table({"confirmed": np.array([seconds, seconds + 3600], dtype=np.int64)}, ["confirmed"], tz=cst)
    ax = plot.epicurve(table, by="confirmed")
    heights = sorted(p.get_height() for p in ax.patches if p.get_height() > 0)
    assert heights == [1, 1]
    days = sorted(mdates.num2date(p.get_x() + p.get_width() / 2).date() for p in ax.patches if p.get_height() > 0)
    assert days == [dt.date(2020, 1, 26), dt.date(2020, 1, 27)]
