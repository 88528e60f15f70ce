"""Progress bars for long work (``progress=True``): tqdm's when it is
installed (a widget in notebooks, a line in terminals), else a line on
stderr. Any other callable given as ``progress`` is called as
``progress(stage, done, total)`` instead, for other front-ends."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any, Dict, Optional

# What each stage counts, as the core reports it (`precinct::progress`).
_UNITS = {"demo town": "chapter", "journal": "event", "index": "step"}


class Bar:
    """One bar per stage of the work, closed when the stage is done."""

    def __init__(self) -> None:
        # A notebook widget where ipywidgets is installed (tqdm.auto warns
        # without it), else tqdm's text bar, else a line on stderr.
        modules = (["tqdm.auto"] if importlib.util.find_spec("ipywidgets") else []) + ["tqdm"]
        tqdm: Any = None
        for module in modules:
            try:
                tqdm = importlib.import_module(module).tqdm
                break
            except ImportError:
                continue
        self._tqdm = tqdm
        self._bars: Dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: Optional[int]) -> None:
        unit = _UNITS.get(stage, "B")  # the interchange files count bytes
        if self._tqdm is None:
            of = f" of {total:,}" if total is not None else ""
            print(f"\r{stage}: {done:,}{of} {unit}s", end="\n" if done == total else "", file=sys.stderr, flush=True)
            return
        bar = self._bars.get(stage)
        if bar is None:
            bar = self._tqdm(desc=stage, total=total, unit=unit, unit_scale=unit == "B", leave=True)
            self._bars[stage] = bar
        if total is not None:
            bar.total = total
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
