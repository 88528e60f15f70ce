"""Write py/python/precinct/_queries.py: one method per query of the core's
facade (`core/src/facade/queries.rs`), each building the request and calling
the compiled `query`. Run again when a query is added; the parity test
(`py/tests/test_parity.py`) fails until then."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "core/src/facade/queries.rs"
TARGET = ROOT / "py/python/precinct/_queries.py"

# Answers that are always tables of rows, annotated so (any answer that is a
# list of records comes back as a Table).
TABLES = {
    "passes_per_day", "service_counts", "resumption_rates", "resumption_series", "persons", "households",
    "tenancies", "screenings", "commitments", "orders", "cases", "interviews", "close_contacts", "contacts",
    "passes", "crossings", "stays", "certificates", "service_ledger", "enterprises", "enterprise_reports",
    "migrant_workers", "travels",
}
TYPES = {"Instant": "_Moment", "NaiveDate": "_Day", "String": "str", "u64": "int", "GroupBy": "str"}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def py_type(rust: str) -> str:
    m = re.fullmatch(r"Option<(.*)>", rust)
    if m:
        return f"Optional[{py_type(m.group(1))}]"
    m = re.fullmatch(r"Vec<(.*)>", rust)
    if m:
        return f"Sequence[{py_type(m.group(1))}]"
    return TYPES.get(rust, "str")  # ids are text


def variants(text: str):
    body = text[text.index("pub enum Query {"):text.index("\n}\n", text.index("pub enum Query {"))]
    doc, fields, name = [], [], None
    for line in body.splitlines()[1:]:
        s = line.strip()
        if line.startswith("    ///"):
            doc.append(s[3:].strip())
        elif line.startswith("    ") and not line.startswith("     ") and re.match(r"[A-Z]\w*", s):
            if name:
                yield name, vdoc, fields
            name, vdoc, fields, fdoc, default = re.match(r"(\w+)", s).group(1), " ".join(doc), [], [], None
            doc = []
        elif s.startswith("///"):
            fdoc.append(s[3:].strip())
        elif s.startswith("#[serde(default"):
            default = re.search(r'default = "(\w+)"', s)
            default = '"all"' if default else "None"
        elif re.match(r"\w+: ", s):
            fname, rtype = s.rstrip(",").split(": ", 1)
            fields.append((fname, rtype, " ".join(fdoc), default))
            fdoc, default = [], None
        elif s.startswith("// ") or not s:
            doc = [] if not s.startswith("///") else doc
    if name:
        yield name, vdoc, fields


def plain(doc: str) -> str:
    """Rustdoc links as plain words: ([`Records`]) and [`X`](path) go."""
    doc = re.sub(r" ?\(\[`[^`]*`\](\([^)]*\))?\)", "", doc)
    return re.sub(r"\[(`[^`]*`)\](\([^)]*\))?", r"\1", doc)


def method(name: str, doc: str, fields) -> str:
    doc = plain(doc)
    params, entries, lines = [], [], []
    # Required arguments first, in order; optional ones keyword-only unless
    # all are optional (close_contacts(cases)).
    required = [f for f in fields if f[3] is None]
    optional = [f for f in fields if f[3] is not None]
    if required and optional:
        optional = [("*", "", "", None)] + optional
    for fname, rtype, fdoc, default in required + optional:
        if fname == "*":
            params.append("*")
            continue
        pname = fname + "_" if keyword.iskeyword(fname) else fname
        params.append(f"{pname}: {py_type(rtype)}" + (f" = {default}" if default is not None else ""))
        entries.append(f'"{fname}": {pname}')
        lines.append(f"{pname}: {plain(fdoc)}")
    result = "Table" if name in TABLES else "ChainReport" if name == "chains" else "Any"
    sig = ", ".join(["self"] + params)
    request = "{" + ", ".join([f'"query": "{name}"'] + entries) + "}"
    # Lists of records come back as Tables, made by the compiled module.
    call = f"self.query({request}, tables=True)"
    if name == "chains":
        call = f"ChainReport({call})"
    text = doc + ("\n\n        " + "\n        ".join(lines) if lines else "")
    return f'    def {name}({sig}) -> {result}:\n        """{text}"""\n        return {call}\n'


def main(check: bool = False) -> None:
    found = list(variants(SOURCE.read_text(encoding="utf-8")))
    out = [
        '"""One method per query of the record book, written by',
        "`scripts/py_queries.py` from `core/src/facade/queries.rs`: each builds",
        "the request and calls the compiled `query`; answers that are lists of",
        'records come back as `Table`s. Do not edit by hand."""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime",
        "from typing import Any, Callable, Optional, Sequence, Union",
        "",
        "from ._chains import ChainReport",
        "from ._table import Table",
        "",
        "_Moment = Union[datetime.datetime, str, int]",
        "_Day = Union[datetime.date, datetime.datetime, str]",
        "",
        "",
        "class Queries:",
        '    """The queries of the record book, by name (mixed into `Book`)."""',
        "",
        "    # Each method asks `Book.query`, the compiled book's one entry for queries.",
        "    query: Callable[..., Any]",
        "",
    ]
    for name, doc, fields in found:
        if name in ("Report", "History"):
            continue  # written by hand in _book.py (a Report object; keyword-only subjects)
        out.append(method(snake(name), doc, fields))
    text = "\n".join(out)
    if check:
        if TARGET.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{TARGET} is stale: run python3 scripts/py_queries.py")
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET}: {len(found) - 2} queries")


if __name__ == "__main__":
    import sys

    main(check="--check" in sys.argv[1:])
