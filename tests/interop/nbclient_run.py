"""Executes notebooks with nbclient under Deno's Jupyter kernel and prints a JSON summary.

Usage: /usr/bin/python3 nbclient_run.py NOTEBOOK.ipynb [...]
For each notebook: {"path", "ok", "error" (first error output or exception), "cells": [
{"id", "outputs": [{"output_type", "mime": [...], "text"}]}]}; the executed notebook is written
beside it as NAME.executed.ipynb.
"""
import json
import os
import sys
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete

# Deno's kernel (cli/tools/jupyter/server.rs) publishes a cell's execute_result from the JS side
# and may report `status: idle` a few milliseconds before it; nbclient stops listening at idle.
# Keep reading that cell's IOPub messages for a short grace period after idle.
GRACE_SECONDS = 0.5


class DenoNotebookClient(NotebookClient):
    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while True:
            try:
                msg = await self.kc.iopub_channel.get_msg(timeout=GRACE_SECONDS)
            except Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass


if not hasattr(NotebookClient, "_async_poll_output_msg"):
    sys.exit("nbclient_run: this nbclient has no _async_poll_output_msg; update the grace hook")


def summarize(path):
    nb = nbformat.read(path, as_version=4)
    client = DenoNotebookClient(
        nb,
        timeout=120,
        kernel_name="deno",
        allow_errors=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    result = {"path": path, "ok": True, "error": None, "cells": []}
    try:
        client.execute()
    except Exception as e:  # noqa: BLE001 - reported to the Deno test
        result["ok"] = False
        result["error"] = f"{type(e).__name__}: {e}"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            entry = {"output_type": out.output_type, "mime": sorted(out.get("data", {}).keys())}
            if out.output_type == "stream":
                entry["text"] = out.text
            elif out.output_type == "error":
                entry["text"] = f"{out.ename}: {out.evalue}"
                if result["error"] is None:
                    result["ok"] = False
                    result["error"] = f"cell {cell.get('id')}: {entry['text']}"
            else:
                entry["text"] = "".join(out.data.get("text/plain", ""))
                if "image/svg+xml" in out.data:
                    entry["svg"] = "".join(out.data["image/svg+xml"])[:200]
            outputs.append(entry)
        result["cells"].append({"id": cell.get("id"), "outputs": outputs})
    nbformat.write(nb, path.replace(".ipynb", ".executed.ipynb"))
    return result


print(json.dumps([summarize(p) for p in sys.argv[1:]]))
