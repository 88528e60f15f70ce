#!/usr/bin/env python3
"""Execute a notebook headless (nbclient) and fail if any cell fails, or if
its code cells drew fewer images (``image/png`` outputs) than
``--min-images``. The executed copy is not written back: committed notebooks
carry no outputs."""

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def images(notebook) -> int:
    """The code cells' outputs that carry a PNG image."""
    return sum(
        1
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", help="the notebook to run")
    parser.add_argument("--min-images", type=int, default=0, metavar="N",
                        help="fail unless the cells draw at least N images (default 0)")
    args = parser.parse_args()

    notebook = nbformat.read(args.path, as_version=4)
    # Run in the notebook's folder, as Jupyter does, so relative paths in it hold.
    folder = str(Path(args.path).resolve().parent)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
    cells = sum(1 for c in notebook.cells if c.cell_type == "code")
    drawn = images(notebook)
    print(f"{args.path}: {cells} code cells ran, {drawn} images")
    if drawn < args.min_images:
        print(f"{args.path}: expected at least {args.min_images} images, found {drawn}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
