#!/usr/bin/env python3
"""Executes meshota's notebooks headless and renders them for people to read.

Each notebook runs top to bottom in a fresh kernel (nbclient; the kernel is the
interpreter running this script). Its assertions are its test: a cell fails when
a number it shows is not what its text says. Whatever happens, the executed
notebook is rendered to OUT/<name>.html (nbconvert) and every figure it drew is
saved as OUT/<name>-<cell>-<k>.png, so CI's output can be looked at.

Notebooks are committed without outputs; one that is not fails here (clear it with
"Clear all outputs" before committing).

Usage: run_notebooks.py [--out DIR] [--timeout S] NOTEBOOK_OR_FOLDER...
Exit: 0 every notebook ran clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import time
from typing import List

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


def notebooks(paths: List[str]) -> List[str]:
    """The .ipynb files named or inside the folders named, sorted."""
    out: List[str] = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".ipynb"))
        else:
            out.append(p)
    return out


def committed_outputs(nb: nbformat.NotebookNode) -> List[int]:
    """Indices of code cells that carry outputs or execution counts."""
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]


def save_figures(nb: nbformat.NotebookNode, out_dir: str, name: str) -> List[str]:
    """Writes every image/png output as OUT/<name>-<cell>-<k>.png."""
    written: List[str] = []
    for i, cell in enumerate(nb.cells):
        k = 0
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                k += 1
                path = os.path.join(out_dir, f"{name}-{i:02d}-{k}.png")
                with open(path, "wb") as f:
                    f.write(base64.b64decode(png))
                written.append(path)
    return written


def run_one(path: str, out_dir: str, timeout: int) -> bool:
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    dirty = committed_outputs(nb)
    ok = True
    if dirty:
        print(f"{path}: FAIL: committed with outputs in cell(s) {dirty}; clear all outputs before committing")
        ok = False
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    error = ""
    try:
        client.execute()
    except CellExecutionError as e:
        ok = False
        error = str(e)
    took = time.perf_counter() - start
    html, _ = HTMLExporter().from_notebook_node(nb)
    html_path = os.path.join(out_dir, name + ".html")
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html)
    figures = save_figures(nb, out_dir, name)
    if error:
        print(f"{path}: FAIL after {took:.1f} s\n{error}")
    print(f"{path}: {'ok' if ok else 'FAILED'} in {took:.1f} s -> {html_path}, {len(figures)} figure(s)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", help="notebooks, or folders of notebooks")
    parser.add_argument("--out", default="out/notebooks", help="where HTML and PNG files go")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    # Kernels start in each notebook's folder: a relative PYTHONPATH (build/python) must not move.
    paths = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in paths.split(os.pathsep) if p)
    # ipykernel's debugger otherwise warns on every start that frozen modules may hide breakpoints.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    found = notebooks(args.paths)
    if not found:
        print("run_notebooks: no notebook found in " + " ".join(args.paths))
        return 1
    results = [run_one(p, args.out, args.timeout) for p in found]
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
