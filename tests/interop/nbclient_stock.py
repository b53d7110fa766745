"""Executes notebooks with stock nbclient (no grace period after idle, unlike nbclient_run.py)
under Deno's Jupyter kernel, the way `jupyter execute` does, and prints per-cell output counts.

Usage: /usr/bin/python3 nbclient_stock.py NOTEBOOK.ipynb
Prints one JSON object: {"path", "error", "seconds", "cells": {id: {"rich": n, "errors": n,
"stdout_lines": n, "stderr_lines": n, "mimes": [[...], ...]}}}.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def count(path):
    nb = nbformat.read(path, as_version=4)
    started = time.time()
    client = NotebookClient(
        nb,
        timeout=900,
        kernel_name="deno",
        allow_errors=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    error = None
    try:
        client.execute()
    except Exception as e:  # noqa: BLE001 - reported to the Deno side
        error = f"{type(e).__name__}: {e}"
    cells = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        lines = {"stdout": 0, "stderr": 0}
        for out in outputs:
            if out.output_type == "stream":
                lines[out.name] += out.text.count("\n")
        cells[cell.get("id")] = {
            "rich": sum(o.output_type in ("display_data", "execute_result") for o in outputs),
            "errors": sum(o.output_type == "error" for o in outputs),
            "stdout_lines": lines["stdout"],
            "stderr_lines": lines["stderr"],
            "mimes": [sorted(o.get("data", {}).keys()) for o in outputs if "data" in o],
        }
    return {"path": path, "error": error, "seconds": round(time.time() - started, 1), "cells": cells}


print(json.dumps(count(sys.argv[1])))
