"""Drawings of what the library computes, on matplotlib (``pip install
"precinct[plot]"``).

Each function draws a figure the library has already computed (a
:class:`~precinct.Table`, or a chains report with ``.cases`` and ``.links``);
nothing is computed here but the layout of the drawing. Each takes ``ax=``
(a new figure when ``None``) and returns the matplotlib ``Axes``. Dates on
the axes are the local days of the tables (``datetime.date``), labelled by
matplotlib's ``ConciseDateFormatter``; codes such as ``co_resident`` are
written as words ("co resident") in legends and labels.

A pandas or polars DataFrame (``Table.to_pandas()``, ``Table.to_polars()``)
is accepted as well as the Table itself, and any other table with a
``to_pandas()`` method (a pyarrow Table) through that method.

An empty table (no rows, with or without columns: the record book answers
an empty question with a table without columns) draws empty axes with the
usual labels and a title saying there is nothing to draw.
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
from collections import Counter
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

__all__ = ["epicurve", "network", "passes_per_day", "resumption", "services"]

_INSTALL = 'pip install "precinct[plot]"'
# tab10 without its grey, which marks what is not singled out.
_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf"]
_GREY = "#a0a0a0"
_LIGHT_GREY = "#d4d4d4"
_LABEL_BELOW = 60  # nodes: label them when fewer are drawn
_ARROWS_UP_TO = 500  # links: arrowheads up to this many, plain lines above
_SPRING_BELOW = 500  # a component this large or larger is laid out radially


# -- imports and checks -------------------------------------------------------


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"precinct.plot needs matplotlib: {_INSTALL}") from e
    return plt


def _networkx() -> Any:
    try:
        import networkx as nx  # type: ignore[import-untyped, unused-ignore]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"precinct.plot.network needs networkx: {_INSTALL}") from e
    return nx


def _type_name(value: Any) -> str:
    kind = type(value)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _is_frame(value: Any) -> bool:
    """A pandas or polars DataFrame (their columns are named by `.columns`
    and read by `frame[name]`); neither library is imported here."""
    for module, name in (("pandas", "DataFrame"), ("polars", "DataFrame")):
        library = sys.modules.get(module)
        if library is not None and isinstance(value, getattr(library, name)):
            return True
    return False


def _is_table(value: Any) -> bool:
    from ._table import Table

    return isinstance(value, Table) or _is_frame(value)


def _table(value: Any, what: str, expected: str = "a precinct.Table or a DataFrame") -> Any:
    """A precinct.Table or a pandas or polars DataFrame as it is; another
    table with a `to_pandas()` method (a pyarrow Table) as its pandas
    DataFrame. Anything else: a TypeError naming its type (not its data)."""
    if _is_table(value):
        return value
    to_pandas = getattr(value, "to_pandas", None)
    if callable(to_pandas) and not isinstance(value, type):
        frame = to_pandas()
        if _is_frame(frame):
            return frame
    raise TypeError(f"{what} draws {expected}, not `{_type_name(value)}`")


def _names(table: Any) -> List[str]:
    if hasattr(table, "names"):  # a precinct.Table
        return list(table.names)
    return [str(c) for c in table.columns]  # a DataFrame


def _need(table: Any, columns: Sequence[str], what: str) -> None:
    """The columns a drawing reads, when the table has rows: a table
    without any is an empty answer, drawn empty whatever its columns."""
    if len(table) == 0:
        return
    names = _names(table)
    missing = [c for c in columns if c not in names]
    if missing:
        raise ValueError(
            f"{what} needs the columns {', '.join(columns)}; the table has {', '.join(names) or 'no columns'}"
            f" (missing: {', '.join(missing)})"
        )


def _column(table: Any, name: str) -> np.ndarray:
    """A column's values; a Table's time column (Unix seconds) as aware
    datetimes in the table's zone, so that its local days are drawn."""
    if name in getattr(table, "times", ()):
        tz = getattr(table, "tz", _dt.timezone.utc)
        return np.array([_dt.datetime.fromtimestamp(int(s), tz) for s in table[name]], dtype=object)
    return np.asarray(table[name])


def _missing(value: Any) -> bool:
    """None, "", or NaN and NaT (not equal to themselves), or pandas.NA."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # pandas.NA has no truth value
        return True


def _day(value: Any) -> Optional[_dt.date]:
    """A local day from what a date column may hold; None when empty."""
    if _missing(value):
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, np.datetime64):
        return _day(value.astype("datetime64[D]").item())
    if isinstance(value, str):
        return _dt.date.fromisoformat(value[:10])
    raise ValueError(f"expected a date, got `{value!r}`")


def _int(value: Any) -> Optional[int]:
    return None if _missing(value) else int(value)


def _words(code: Any) -> str:
    """`co_resident` as "co resident"."""
    return str(code).replace("_", " ")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _axes(ax: Any, figsize: Tuple[float, float]) -> Any:
    if ax is None:
        _, ax = _pyplot().subplots(figsize=figsize)
    return ax


def _nothing(ax: Any, title: str) -> Any:
    """Empty axes: the title says there is nothing to draw, and no ticks
    (there is no scale to read)."""
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _date_axis(ax: Any) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _day_numbers(days: Sequence[_dt.date]) -> np.ndarray:
    import matplotlib.dates as mdates

    return np.asarray(mdates.date2num(list(days)), dtype=float) if len(days) else np.zeros(0)


def _colours(n: int) -> List[Any]:
    """n distinct colours: tab10 (without grey) up to 9, tab20 up to 20,
    then a colormap sampled evenly."""
    import matplotlib

    if n <= len(_PALETTE):
        return _PALETTE[:n]
    if n <= 20:
        return [matplotlib.colormaps["tab20"](i) for i in range(n)]
    cmap = matplotlib.colormaps["turbo"]
    return [cmap(i / max(n - 1, 1)) for i in range(n)]


def _stacked_day_bars(
    ax: Any, days: Sequence[_dt.date], series: Sequence[Tuple[str, Sequence[float]]], colours: Sequence[Any]
) -> None:
    """Bars per day, one layer per series, each layer over every day (zeros
    included) so the layers line up."""
    x = _day_numbers(days)
    bottom = np.zeros(len(days))
    for (label, heights), colour in zip(series, colours):
        h = np.asarray(heights, dtype=float)
        ax.bar(x, h, width=0.8, bottom=bottom, label=label, color=colour, linewidth=0)
        bottom = bottom + h
    _date_axis(ax)


def _per_day(table: Any) -> Tuple[List[_dt.date], List[Tuple[str, List[float]]]]:
    """The days and a series per kind of a table with `date`, `kind` and
    `count` (none of a table without rows)."""
    if len(table) == 0:
        return [], []
    return _by_day_and_kind(_column(table, "date"), _column(table, "kind"), _column(table, "count"))


def _by_day_and_kind(dates: np.ndarray, kinds: np.ndarray, counts: np.ndarray) -> Tuple[List[_dt.date], List[Tuple[str, List[float]]]]:
    totals: Dict[Tuple[_dt.date, Any], float] = {}
    for d, k, c in zip(dates, kinds, counts):
        day = _day(d)
        if day is None or _missing(c):
            continue
        totals[(day, k)] = totals.get((day, k), 0.0) + float(c)
    days = sorted({d for d, _ in totals})
    kind_totals: Dict[Any, float] = {}
    for (_, k), c in totals.items():
        kind_totals[k] = kind_totals.get(k, 0.0) + c
    order = sorted(kind_totals, key=lambda k: -kind_totals[k])
    return days, [(_words(k), [totals.get((d, k), 0.0) for d in days]) for k in order]


# -- the transmission network --------------------------------------------------


def network(
    report: Any,
    *,
    color: str = "cluster",
    clusters: Optional[int] = None,
    labels: Optional[bool] = None,
    ax: Any = None,
) -> Any:
    """The transmission network of a chains report: cases as dots, who
    infected whom as arrows.

    ``report.cases`` (columns ``case``, ``cluster``, ``cluster_size``,
    ``secondary_cases``, and ``generation`` to colour by it) and
    ``report.links`` (``infector``, ``infectee``, ``infector_listed``).
    Infectors not on the list are drawn hollow and grey. A dot's area grows
    with the case's secondary cases.

    color: ``"cluster"`` (the nine largest clusters in colours, the others
        grey) or ``"generation"`` (a sequential colormap; cases reachable only
        through a loop, which have none, grey).
    clusters: draw only the N largest clusters (cluster 1 is the largest).
    labels: write the case ids; by default when fewer than 60 dots are drawn.

    Each connected part is laid out on its own (networkx's spring layout,
    seeded, so the drawing is the same every time; radially from its best
    connected case above 500 dots), the parts packed in rows, largest first.
    """
    nx = _networkx()
    if color not in ("cluster", "generation"):
        raise ValueError(f"network colours by `cluster` or `generation`, not `{color}`")
    if clusters is not None and (isinstance(clusters, bool) or not isinstance(clusters, (int, np.integer)) or clusters < 1):
        raise ValueError(f"clusters should be a number of clusters of at least 1, not `{clusters!r}`")
    if _is_table(report) or not (hasattr(report, "cases") and hasattr(report, "links")):
        raise TypeError("network draws a chains report (with `.cases` and `.links`), as `precinct.chains` gives it,"
                        f" not `{_type_name(report)}`")
    cases = _table(report.cases, "network (report.cases)")
    links = _table(report.links, "network (report.links)")
    needed = ["case", "cluster", "cluster_size", "secondary_cases"] + (["generation"] if color == "generation" else [])
    _need(cases, needed, "network (report.cases)")
    _need(links, ["infector", "infectee", "infector_listed"], "network (report.links)")
    if len(cases) == 0:
        ax = _axes(ax, (7, 7))
        ax.set_title("Transmission network (no cases)")
        ax.set_axis_off()
        return ax

    ids = [str(c) for c in _column(cases, "case")]
    cluster_numbers = [_int(c) for c in _column(cases, "cluster")]
    cluster_of = dict(zip(ids, cluster_numbers))
    size_of_cluster = {c: _int(s) or 0 for c, s in zip(cluster_numbers, _column(cases, "cluster_size"))}
    secondary = dict(zip(ids, (_int(s) or 0 for s in _column(cases, "secondary_cases"))))
    generation = dict(zip(ids, (_int(g) for g in _column(cases, "generation")))) if color == "generation" else {}
    all_clusters = {c for c in cluster_of.values() if c is not None}

    def shown(case: str) -> bool:
        number = cluster_of[case]
        return clusters is None or (number is not None and number <= clusters)

    drawn = {c for c in ids if shown(c)}
    graph = nx.DiGraph()
    graph.add_nodes_from(c for c in ids if c in drawn)  # in list order
    # No links (one case, or cases whose only link was to themselves): no
    # rows, and maybe no columns.
    pairs = zip(_column(links, "infector"), _column(links, "infectee")) if len(links) else iter(())
    for infector, infectee in pairs:
        infector, infectee = str(infector), str(infectee)
        if infector == infectee:  # an infection of oneself, which chains drop too
            continue
        if infector in drawn or infectee in drawn:
            graph.add_edge(infector, infectee)
    placeholders = [n for n in graph if n not in cluster_of]
    n_cases = graph.number_of_nodes() - len(placeholders)
    drawn_clusters = {cluster_of[n] for n in graph if n in cluster_of and cluster_of[n] is not None}

    ax = _axes(ax, (9, 9) if graph.number_of_nodes() > _LABEL_BELOW else (7, 7))
    pos = _layout(nx, graph)
    if labels is None:
        labels = graph.number_of_nodes() < _LABEL_BELOW
    small = graph.number_of_nodes() < _LABEL_BELOW
    base = 90.0 if small else 14.0

    def size(node: str) -> float:
        return base * min((1 + secondary.get(node, 0)) ** 0.75, 25.0)

    # Nodes, one scatter per legend entry.
    groups: Dict[Tuple[int, str], List[str]] = {}
    colour_of_group: Dict[Tuple[int, str], Any] = {}
    if color == "cluster":
        # The nine largest clusters with a link in colours; the rest grey.
        linked = {cluster_of[n] for n in graph if n in cluster_of and graph.degree(n) > 0}
        for node in graph:
            if node not in cluster_of:
                continue
            c = cluster_of[node]
            if c is not None and c <= len(_PALETTE) and c in linked:
                key = (c, f"cluster {c} ({size_of_cluster[c]:,} cases)")
                colour_of_group[key] = _PALETTE[c - 1]
            else:
                key = (len(_PALETTE) + 1, "other clusters" if graph.degree(node) > 0 else "cases without links")
                colour_of_group[key] = _GREY if graph.degree(node) > 0 else _LIGHT_GREY
            groups.setdefault(key, []).append(node)
    else:
        import matplotlib

        gens = sorted({g for n, g in generation.items() if n in graph and g is not None})
        cmap = matplotlib.colormaps["viridis"]
        top = max(gens) if gens else 1
        for node in graph:
            if node not in cluster_of:
                continue
            g = generation.get(node)
            if g is None:
                key = (10**9, "no generation (in a loop)")
                colour_of_group[key] = _GREY
            else:
                key = (g, f"generation {g}")
                colour_of_group[key] = cmap(0.9 * (g - 1) / max(top - 1, 1))
            groups.setdefault(key, []).append(node)

    _edges(ax, graph, pos, size, arrows=graph.number_of_edges() <= _ARROWS_UP_TO, small=small)
    for key in sorted(groups):
        nodes = groups[key]
        xy = np.array([pos[n] for n in nodes])
        ax.scatter(xy[:, 0], xy[:, 1], s=[size(n) for n in nodes], color=colour_of_group[key],
                   edgecolors="white", linewidths=0.5, label=key[1], zorder=3)
    if placeholders:
        xy = np.array([pos[n] for n in placeholders])
        ax.scatter(xy[:, 0], xy[:, 1], s=[size(n) for n in placeholders], facecolors="none",
                   edgecolors="#808080", linewidths=1.0, label="infector not on the list", zorder=3)
    if labels:
        for node in graph:
            x, y = pos[node]
            ax.annotate(node, (x, y), xytext=(0, 5 + math.sqrt(size(node)) / 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=7, color="#333333", zorder=4)

    if clusters is not None and len(all_clusters) > len(drawn_clusters):
        largest = "the largest" if len(drawn_clusters) == 1 else f"the {len(drawn_clusters)} largest"
        title = f"Transmission network ({_count(n_cases, 'case')}, {largest} of {len(all_clusters):,} clusters)"
    else:
        title = f"Transmission network ({_count(n_cases, 'case')}, {_count(len(drawn_clusters), 'cluster')})"
    ax.set_title(title)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    entries = len(groups) + (1 if placeholders else 0)
    if entries > 1:
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False,
                           title="colour by " + color)
        # One marker size in the legend, whatever the first dot's size.
        for handle in getattr(legend, "legend_handles", None) or getattr(legend, "legendHandles", []):
            if hasattr(handle, "set_sizes"):
                handle.set_sizes([40.0])
    return ax


def _layout(nx: Any, graph: Any) -> Dict[str, np.ndarray]:
    """Each weakly connected part laid out on its own, scaled by its size,
    packed in rows, the largest first."""
    order = {n: i for i, n in enumerate(graph)}
    parts = [sorted(p, key=order.__getitem__) for p in nx.weakly_connected_components(graph)]
    parts.sort(key=lambda p: (-len(p), order[p[0]]))
    placed: List[Tuple[Dict[str, np.ndarray], float]] = []
    for nodes in parts:
        radius = 0.5 * math.sqrt(len(nodes)) if len(nodes) > 1 else 0.0
        if len(nodes) == 1:
            local = {nodes[0]: np.zeros(2)}
        elif len(nodes) < _SPRING_BELOW:
            sub = graph.subgraph(nodes).to_undirected()
            local = {n: np.asarray(p) for n, p in nx.spring_layout(sub, seed=2020, scale=radius).items()}
        else:
            local = _radial(nx, graph.subgraph(nodes), radius)
        placed.append((local, radius))
    if not placed:
        return {}
    area = sum((2 * r + 1) ** 2 for _, r in placed)
    width = max(max(2 * r + 1 for _, r in placed), math.sqrt(area) * 1.5)
    pos: Dict[str, np.ndarray] = {}
    x = y = 0.0
    row_height = 0.0
    for local, radius in placed:
        box = 2 * radius + 1
        if x > 0 and x + box > width:
            x, y = 0.0, y - row_height
            row_height = 0.0
        centre = np.array([x + box / 2, y - box / 2])
        for n, p in local.items():
            pos[n] = centre + p
        x += box
        row_height = max(row_height, box)
    return pos


def _radial(nx: Any, graph: Any, radius: float) -> Dict[str, np.ndarray]:
    """A large part drawn as a tree of breadth-first rings around its best
    connected case, each subtree given an angle in proportion to its leaves
    (no scipy needed, unlike networkx's layouts of large graphs)."""
    undirected = graph.to_undirected()
    root = max(undirected, key=lambda n: (undirected.degree(n), str(n)))
    tree = nx.bfs_tree(undirected, root)
    leaves: Dict[str, int] = {}
    for node in reversed(list(nx.topological_sort(tree))):
        leaves[node] = sum(leaves[c] for c in tree.successors(node)) or 1
    depth = nx.single_source_shortest_path_length(tree, root)
    rings = max(depth.values()) or 1
    pos: Dict[str, np.ndarray] = {}
    stack = [(root, 0.0, 2 * math.pi)]
    while stack:
        node, start, end = stack.pop()
        angle = (start + end) / 2
        r = radius * depth[node] / rings
        pos[node] = np.array([r * math.cos(angle), r * math.sin(angle)])
        at = start
        for child in tree.successors(node):
            share = (end - start) * leaves[child] / leaves[node]
            stack.append((child, at, at + share))
            at += share
    return pos


def _edges(ax: Any, graph: Any, pos: Dict[str, np.ndarray], size: Any, *, arrows: bool, small: bool) -> None:
    if graph.number_of_edges() == 0:
        return
    if not arrows:
        from matplotlib.collections import LineCollection

        segments = [(pos[a], pos[b]) for a, b in graph.edges()]
        ax.add_collection(LineCollection(segments, colors="#999999", linewidths=0.4, zorder=1))
        return
    from matplotlib.patches import FancyArrowPatch

    for a, b in graph.edges():
        ax.add_patch(FancyArrowPatch(
            tuple(pos[a]), tuple(pos[b]), arrowstyle="-|>", mutation_scale=10 if small else 6,
            shrinkA=math.sqrt(size(a)) / 2, shrinkB=math.sqrt(size(b)) / 2 + 1,
            color="#8a8a8a", linewidth=0.8 if small else 0.5, zorder=2,
        ))


# -- the epidemic curve --------------------------------------------------------

_BY = {"onset": "date of symptom onset", "confirmed": "date of confirmation"}


def epicurve(report_or_table: Any, *, by: str = "onset", stack: Optional[str] = None, ax: Any = None) -> Any:
    """Cases per local day, by ``"onset"`` or ``"confirmed"``, as bars.

    Takes a chains report (its ``.cases``) or a table with that date column.
    Cases without the date are left out and counted in the title.
    ``stack="generation"`` or ``"cluster"`` divides each bar: by generation,
    or by the eight largest clusters and the rest.
    """
    if by not in _BY:
        raise ValueError(f"epicurve counts cases by `onset` or `confirmed`, not `{by}`")
    if stack not in (None, "generation", "cluster"):
        raise ValueError(f"epicurve stacks by `generation` or `cluster`, not `{stack}`")
    if not _is_table(report_or_table) and hasattr(report_or_table, "cases"):
        table = _table(report_or_table.cases, "epicurve (report.cases)")
    else:
        table = _table(report_or_table, "epicurve", "a chains report or a table (a precinct.Table or a DataFrame)")
    _need(table, [by] + ([stack] if stack else []), "epicurve")
    ax = _axes(ax, (9, 4))

    days_of = [_day(v) for v in _column(table, by)] if len(table) else []
    # The layer of each case: its generation, or its cluster (None: in no
    # layer of its own, that is a loop's case or a smaller cluster).
    layer: List[Optional[int]] = [_int(v) for v in _column(table, stack)] if stack and days_of else [0] * len(days_of)
    if stack == "cluster":
        kept = sorted({c for c in layer if c is not None})[:8]
        layer = [c if c in kept else None for c in layer]
    counts: Counter[Tuple[_dt.date, Optional[int]]] = Counter(
        (d, k) for d, k in zip(days_of, layer) if d is not None
    )
    days = sorted({d for d, _ in counts})
    present = {k for _, k in counts}
    numbered = sorted(k for k in present if k is not None)
    order: List[Optional[int]] = numbered + ([None] if None in present else [])
    colours: List[Any]
    if stack == "generation":
        import matplotlib

        cmap = matplotlib.colormaps["viridis"]
        colours = [cmap(0.9 * i / max(len(numbered) - 1, 1)) for i in range(len(numbered))] + [_GREY]
        names = {k: f"generation {k}" if k is not None else "no generation (in a loop)" for k in order}
    elif stack == "cluster":
        colours = _PALETTE[: len(numbered)] + [_GREY]
        names = {k: f"cluster {k}" if k is not None else "other clusters" for k in order}
    else:
        colours = ["#4c72b0"]
        names = {0: "cases"}
    series = [(names[k], [counts.get((d, k), 0) for d in days]) for k in order]
    undated = sum(1 for d in days_of if d is None)
    ax.set_xlabel(_BY[by])
    ax.set_ylabel("cases")
    if not days:  # no cases, or none with the date
        title = f"Epidemic curve (no cases with a {_BY[by]}"
        return _nothing(ax, title + (f"; {undated:,} without one)" if undated else ")"))
    _stacked_day_bars(ax, days, series, colours)

    title = f"Epidemic curve ({_count(len(days_of) - undated, 'case')} by {_BY[by][8:]}"
    title += f"; {undated:,} without a date, not shown)" if undated else ")"
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(title=_words(stack), fontsize=8)
    return ax


# -- return to work --------------------------------------------------------------

_RATES = {"enterprise_rate": "enterprises resumed", "workforce_rate": "workforce on site"}


def resumption(series: Any, *, rate: str = "enterprise_rate", ax: Any = None) -> Any:
    """The share of enterprises resumed (``rate="enterprise_rate"``), of the
    workforce on site (``"workforce_rate"``), or both (``"both"``: solid and
    dashed), a line per ``group``, over local days."""
    if rate not in ("enterprise_rate", "workforce_rate", "both"):
        raise ValueError(f"resumption draws `enterprise_rate`, `workforce_rate` or `both`, not `{rate}`")
    rates = list(_RATES) if rate == "both" else [rate]
    series = _table(series, "resumption")
    _need(series, ["date", "group"] + rates, "resumption")
    from matplotlib.lines import Line2D
    from matplotlib.ticker import PercentFormatter

    ax = _axes(ax, (9, 4.5))
    what = "enterprises resumed and workforce on site" if rate == "both" else _RATES[rate]
    if len(series) == 0:  # no enterprises, or no days
        ax.set_xlabel("date")
        ax.set_ylabel("share" if rate == "both" else _RATES[rate])
        return _nothing(ax, f"Return to work: {what} (no reports)")
    dates = [_day(v) for v in _column(series, "date")]
    group_col = _column(series, "group")
    groups = list(dict.fromkeys(str(g) for g in group_col))
    colours = _colours(len(groups))
    styles: Dict[str, Any] = {"enterprise_rate": "-", "workforce_rate": "--"}
    for group, colour in zip(groups, colours):
        rows = sorted((d, i) for i, (g, d) in enumerate(zip(group_col, dates)) if str(g) == group and d is not None)
        for r in rates:
            values = _column(series, r)
            ax.plot(_day_numbers([d for d, _ in rows]), [float(values[i]) for _, i in rows], color=colour,
                    linestyle=styles[r] if rate == "both" else "-", linewidth=1.5,
                    label=_words(group) if rate != "both" else None)
    _date_axis(ax)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("date")
    ax.set_ylabel("share" if rate == "both" else _RATES[rate])
    ax.set_title(f"Return to work: {what}" + (f" ({_words(groups[0])})" if len(groups) == 1 else ""))
    if rate == "both":
        handles = [Line2D([], [], color=c, label=_words(g)) for g, c in zip(groups, colours)] if len(groups) > 1 else []
        handles += [Line2D([], [], color="#444444", linestyle=styles[r], label=_RATES[r]) for r in rates]
        ax.legend(handles=handles, fontsize=8, ncol=2 if len(handles) > 8 else 1)
    elif len(groups) > 1:
        ax.legend(fontsize=8, ncol=2 if len(groups) > 8 else 1)
    return ax


# -- passes and services ---------------------------------------------------------


def passes_per_day(table: Any, *, ax: Any = None) -> Any:
    """Passes per local day (columns ``date``, ``kind``, ``count``), a bar
    per day stacked by kind."""
    table = _table(table, "passes_per_day")
    _need(table, ["date", "kind", "count"], "passes_per_day")
    return _kinds_per_day(table, ax, "passes", "Passes per day", "none issued", "kind of pass")


def _kinds_per_day(table: Any, ax: Any, unit: str, title: str, nothing: str, legend: str) -> Any:
    """A bar per day stacked by kind (columns ``date``, ``kind``, ``count``)."""
    ax = _axes(ax, (9, 4))
    days, series = _per_day(table)
    ax.set_xlabel("date")
    ax.set_ylabel(unit)
    if not days:
        return _nothing(ax, f"{title} ({nothing})")
    _stacked_day_bars(ax, days, series, _colours(len(series)))
    ax.set_title(title + (f" ({series[0][0]})" if len(series) == 1 else ""))
    if len(series) > 1:
        ax.legend(title=legend, fontsize=8)
    return ax


def services(table: Any, *, ax: Any = None) -> Any:
    """Services the station gave.

    Over a period (columns ``kind``, ``channel``, ``count``): a horizontal
    bar per kind, divided by channel, the most frequent kind on top. Per day
    (columns ``date``, ``kind``, ``count``): a bar per day stacked by kind.
    """
    table = _table(table, "services")
    names = _names(table)
    if "date" in names:
        _need(table, ["date", "kind", "count"], "services (per day)")
        return _kinds_per_day(table, ax, "services", "Services per day", "none recorded", "kind of service")
    if len(table) == 0:  # an empty period: the record book's answer has no columns
        ax = _axes(ax, (8, 1.7))
        ax.set_xlabel("services")
        ax.set_ylabel("kind of service")
        return _nothing(ax, "Services by kind and channel (none recorded)")
    if not all(c in names for c in ("kind", "channel", "count")):
        raise ValueError(
            "services needs the columns kind, channel, count (a period) or date, kind, count (per day);"
            f" the table has {', '.join(names) or 'no columns'}"
        )
    totals: Dict[Tuple[Any, Any], float] = {}
    for k, c, n in zip(_column(table, "kind"), _column(table, "channel"), _column(table, "count")):
        if not _missing(n):
            totals[(k, c)] = totals.get((k, c), 0.0) + float(n)
    by_kind: Dict[Any, float] = {}
    by_channel: Dict[Any, float] = {}
    for (k, c), n in totals.items():
        by_kind[k] = by_kind.get(k, 0.0) + n
        by_channel[c] = by_channel.get(c, 0.0) + n
    # The most frequent first (ties in the table's order); barh draws bottom up: the largest on top.
    kinds = sorted(by_kind, key=lambda k: -by_kind[k])[::-1]
    channels = sorted(by_channel, key=lambda c: -by_channel[c])
    ax = _axes(ax, (8, 1.2 + 0.5 * max(len(kinds), 1)))
    y = np.arange(len(kinds))
    left = np.zeros(len(kinds))
    for channel, colour in zip(channels, _colours(len(channels))):
        widths = np.array([totals.get((k, channel), 0.0) for k in kinds])
        ax.barh(y, widths, left=left, height=0.7, label=_words(channel), color=colour, linewidth=0)
        left = left + widths
    for i, total in enumerate(left):  # the total at the end of each bar: small kinds stay readable
        ax.annotate(f"{total:,.0f}", (total, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.margins(x=0.12)
    ax.set_yticks(y)
    ax.set_yticklabels([_words(k) for k in kinds])
    ax.set_xlabel("services")
    ax.set_ylabel("kind of service")
    ax.set_title("Services by kind and channel")
    if len(channels) > 1:
        ax.legend(title="channel", fontsize=8)
    return ax
