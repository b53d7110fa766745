/**
 * Runs exported notebooks in real Jupyter: Deno's kernel (`deno jupyter`) driven by nbclient,
 * the library behind `jupyter execute` and nbconvert (Debian's python3-nbclient).
 */
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { assert, assertEquals } from "../../runtime/testing/assert.ts";
import { parseLessonFile } from "../../notebook/course/parse_lesson.ts";
import { exportNotebooks } from "../../notebook/export/export_ipynb.ts";
import { hasPythonModules, writeChartLesson } from "./fixtures.ts";

interface OutputSummary {
  output_type: string;
  mime: string[];
  text?: string;
  svg?: string;
}
interface NotebookRun {
  path: string;
  ok: boolean;
  error: string | null;
  cells: { id: string; outputs: OutputSummary[] }[];
}

const DRIVER = fromFileUrl(new URL("./nbclient_run.py", import.meta.url));
const hasClients = hasPythonModules("nbformat", "nbclient", "jupyter_client");
if (!hasClients) {
  console.warn(
    "tests/interop: skipping the Jupyter run: /usr/bin/python3 cannot import nbformat, nbclient " +
      "and jupyter_client (apt-get install python3-nbformat python3-nbclient python3-jupyter-client)",
  );
}

/** Makes sure jupyter_client finds the "deno" kernelspec, installing it as a user would. */
async function ensureDenoKernelspec(): Promise<void> {
  const find = () =>
    new Deno.Command("/usr/bin/python3", {
      args: [
        "-c",
        "from jupyter_client.kernelspec import KernelSpecManager as K\n" +
        "import sys; sys.exit(0 if 'deno' in K().find_kernel_specs() else 1)",
      ],
      stdout: "null",
      stderr: "null",
    }).output();
  if ((await find()).success) return;
  const install = await new Deno.Command(Deno.execPath(), {
    args: ["jupyter", "--install"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(
    install.success && (await find()).success,
    `deno jupyter --install did not register a kernelspec jupyter_client finds: ${
      new TextDecoder().decode(install.stderr)
    }`,
  );
}

function cell(run: NotebookRun, id: string) {
  const found = run.cells.find((c) => c.id === id);
  assert(found !== undefined, `cell ${id} in ${run.path}`);
  return found;
}

Deno.test({
  name: "exported notebooks run top to bottom under deno jupyter driven by nbclient, charts as SVG",
  ignore: !hasClients,
  async fn() {
    await ensureDenoKernelspec();
    const out = await Deno.makeTempDir({ prefix: "gradbook-jupyter-" });
    const chartLesson = await writeChartLesson();
    try {
      const lessons = [
        await parseLessonFile("lessons/00-tour.md"),
        await parseLessonFile(chartLesson),
      ];
      const { notebooks } = await exportNotebooks(lessons, out);
      const result = await new Deno.Command("/usr/bin/python3", {
        args: [DRIVER, ...notebooks],
        cwd: out,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(result.stderr);
      assert(result.success, `nbclient driver failed:\n${stderr.slice(-3000)}`);
      const runs = JSON.parse(new TextDecoder().decode(result.stdout)) as NotebookRun[];
      for (const run of runs) assert(run.ok, `${run.path}: ${run.error}`);
      const [tour, charts] = runs as [NotebookRun, NotebookRun];

      // The tour: values, console output, a chart as SVG, the visible checks' report.
      assert(cell(tour, "c1").outputs.some((o) => o.text?.includes("17")));
      assert(
        cell(tour, "c3").outputs.some((o) => o.output_type === "stream" && o.text === "f = 14\n"),
      );
      const chart = cell(tour, "c4").outputs.find((o) => o.mime.includes("image/svg+xml"));
      assert(chart?.svg?.startsWith("<svg"), "the tour's chart comes back as image/svg+xml");
      const checks = cell(tour, "tour-quadratic-grad-checks").outputs;
      assert(
        checks.some((o) => o.text?.startsWith("Checks: 0 of 1 passed")),
        `the starter's checks report shows: ${JSON.stringify(checks)}`,
      );

      // Every rich output reaches Jupyter with the MIME type its frontends render.
      const mimes = charts.cells.filter((c) => /^c\d+$/.test(c.id)).map((c) =>
        c.outputs.flatMap((o) => o.mime)
      );
      assert(mimes[0]!.includes("image/svg+xml"), `scatter: ${mimes[0]}`);
      assert(mimes[1]!.includes("text/html"), `table: ${mimes[1]}`);
      assert(mimes[2]!.includes("text/latex"), `tex: ${mimes[2]}`);
      assert(mimes[3]!.includes("text/markdown"), `md: ${mimes[3]}`);
      assertEquals(
        cell(charts, "interop-double-checks").outputs.map((o) => o.text?.split("\n")[0]),
        ["Checks: 0 of 1 passed (0/1 points)"],
      );
      // The executed notebook is still valid nbformat.
      await Deno.stat(join(out, "00-tour.executed.ipynb"));
    } finally {
      await Deno.remove(out, { recursive: true });
      await Deno.remove(join(chartLesson, ".."), { recursive: true });
    }
  },
});
