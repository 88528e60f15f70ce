#!/usr/bin/env python3
"""Execute a notebook headless (nbclient) and fail if any cell fails.
The executed copy is not written back: committed notebooks carry no outputs."""

import sys

import nbformat
from nbclient import NotebookClient


def main(path: str) -> int:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3").execute()
    cells = sum(1 for c in notebook.cells if c.cell_type == "code")
    print(f"{path}: {cells} code cells ran")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
