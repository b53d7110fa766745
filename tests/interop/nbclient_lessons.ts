/**
 * Every lesson, exported and executed by stock nbclient (Debian's python3-nbclient, the engine of
 * `jupyter execute` and `nbconvert --execute`) under Deno's Jupyter kernel, loses no output:
 * each lesson cell has as many rich outputs (displays and results), errors and console lines as
 * in gradbook's own run of the lesson (`interop/run_outputs.ts`), and every exercise's checks
 * cell shows its check results. Slow (every lesson twice): run by `deno task test:jupyter`, not
 * by `deno task test`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { assert } from "../assert.ts";
import { loadCourse } from "../../notebook/course/parse_lesson.ts";
import { exportNotebooks } from "../../notebook/export/export_ipynb.ts";
import { type CellOutput, runLessonOutputs } from "../../notebook/export/run_outputs.ts";
import { CHECKS_MIME } from "../../runtime/testing/types.ts";

interface CellCounts {
  rich: number;
  errors: number;
  stdout_lines: number;
  stderr_lines: number;
  mimes?: string[][];
}

const DRIVER = fileURLToPath(new URL("./nbclient_stock.py", import.meta.url));

function gradbookCounts(outputs: CellOutput[]): CellCounts {
  const lines = (name: string) =>
    outputs.reduce(
      (n, o) => n + (o.kind === "stream" && o.name === name ? o.text.split("\n").length - 1 : 0),
      0,
    );
  return {
    rich: outputs.filter((o) => o.kind === "display" || o.kind === "result").length,
    errors: outputs.filter((o) => o.kind === "error").length,
    stdout_lines: lines("stdout"),
    stderr_lines: lines("stderr"),
  };
}

const { lessons } = await loadCourse("lessons");
const out = await Deno.makeTempDir({ prefix: "gradbook-nbclient-" });
const { notebooks } = await exportNotebooks(lessons, out);
const install = await new Deno.Command(Deno.execPath(), {
  args: ["install", "--quiet"],
  cwd: out,
  stdout: "null",
}).output();
assert(install.success, "deno install in the exported folder failed");

for (const [index, lesson] of lessons.entries()) {
  Deno.test(`stock nbclient keeps every output of ${lesson.slug}`, async () => {
    const notebook = notebooks[index]!;
    const [ours, theirs] = await Promise.all([
      runLessonOutputs(lesson),
      new Deno.Command("/usr/bin/python3", { args: [DRIVER, notebook], stdout: "piped" })
        .output(),
    ]);
    if (!ours.ok) console.log(`gradbook's own run failed: ${ours.failure}`);
    assert(ours.ok, `gradbook's own run failed: ${ours.failure}`);
    assert(theirs.success, `nbclient_stock.py failed on ${notebook}`);
    const jupyter = JSON.parse(new TextDecoder().decode(theirs.stdout)) as {
      error: string | null;
      seconds: number;
      cells: Record<string, CellCounts>;
    };
    if (jupyter.error !== null) console.log(`nbclient: ${jupyter.error}`);
    assert(jupyter.error === null, `nbclient: ${jupyter.error}`);
    const problems: string[] = [];
    let cells = 0;
    let outputs = 0;
    for (const [cellId, record] of ours.cells) {
      const expected = gradbookCounts(record.outputs);
      const got = jupyter.cells[cellId];
      cells++;
      outputs += expected.rich + expected.errors + expected.stdout_lines + expected.stderr_lines;
      if (got === undefined) {
        problems.push(`${cellId}: not in the notebook`);
        continue;
      }
      for (const key of ["rich", "errors", "stdout_lines", "stderr_lines"] as const) {
        if (got[key] !== expected[key]) {
          problems.push(`${cellId}: ${key} ${got[key]} in Jupyter, ${expected[key]} in gradbook`);
        }
      }
    }
    const checksCells = Object.entries(jupyter.cells).filter(([id]) => id.endsWith("-checks"));
    for (const [id, got] of checksCells) {
      if (!got.mimes?.some((m) => m.includes(CHECKS_MIME))) {
        problems.push(`${id}: no check results`);
      }
    }
    console.log(
      `${lesson.slug}: ${cells} cells, ${outputs} outputs (rich + errors + console lines) and ` +
        `${checksCells.length} checks cells compared; nbclient ran in ${jupyter.seconds} s`,
    );
    if (problems.length > 0) console.log(problems.join("\n"));
    assert(problems.length === 0, `${lesson.slug}: outputs differ:\n${problems.join("\n")}`);
  });
}

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(out, { recursive: true });
  } catch { /* already gone */ }
});
