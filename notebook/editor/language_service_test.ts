import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCourse } from "../course/parse_lesson.ts";
import { CellLanguageService, lessonProgramCells } from "./language_service.ts";
import { REPO_ROOT } from "./module_host.ts";
import type { ProgramCell } from "./virtual_program.ts";

// One service for every test: building the runtime's program is the slow part (~2 s).
const service = new CellLanguageService();

const SETUP = 'import { nn, optim, randn, tensor } from "gradbook";\nconst w = randn([4, 3]);\n' +
  "let steps = 0;";

function check(cells: ProgramCell[], lesson = "test") {
  service.setCells(lesson, cells);
  return (id: string) => service.diagnostics(lesson, id);
}

Deno.test("diagnostics() reports a wrong argument type to nn.Linear at its argument", () => {
  const source = 'const model = new nn.Linear("784", 10);';
  const diagnostics = check([{ id: "a", source: SETUP }, { id: "b", source }])("b");
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  const [error] = diagnostics;
  assert.equal(error!.code, 2345);
  assert.equal(error!.severity, "error");
  assert.equal(source.slice(error!.from, error!.to), '"784"');
  assert.deepEqual([error!.line, error!.column], [1, 29]);
  assert.match(error!.message, /'string' is not assignable to parameter of type 'number'/);
});

Deno.test("diagnostics() reports a misspelt tensor method with a suggestion, on its line", () => {
  const source = "const total = w.sum();\nconst wrong = w.sumx();";
  const diagnostics = check([{ id: "a", source: SETUP }, { id: "b", source }])("b");
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  assert.equal(diagnostics[0]!.line, 2);
  assert.equal(source.slice(diagnostics[0]!.from, diagnostics[0]!.to), "sumx");
  assert.match(diagnostics[0]!.message, /Property 'sumx' does not exist on type 'Tensor'.*'sum'/);
});

Deno.test("diagnostics() reports a syntax error in the cell's coordinates", () => {
  const source = "const a = 1;\nconst b = (a + ;";
  const [error] = check([{ id: "a", source }])("a");
  assert.equal(error?.code, 1109);
  assert.equal(error?.line, 2);
});

Deno.test("diagnostics() follows the kernel's semantics: shared names, redeclaration, await", () => {
  const diagnosticsOf = check([
    { id: "a", source: SETUP },
    // Redeclares `w`, assigns an earlier `let`, awaits at top level, imports per cell.
    {
      id: "b",
      source: 'import { plot } from "gradbook/display";\nconst w = 5;\nsteps = steps + 1;\n' +
        "const later = await Promise.resolve(w * 2);\nplot;",
    },
    // Sees `later` from b and the newest `w` (a number now), and `tensor` from a's import.
    { id: "c", source: "const n: number = w + later;\ntensor([n]).shape" },
    { id: "d", source: "function twice(x: number) { return 2 * x; }\nclass Box { v = 1; }" },
    { id: "e", source: "const b: Box = new Box();\ntwice(b.v)" },
  ]);
  for (const id of ["a", "b", "c", "d", "e"]) {
    assert.deepEqual(diagnosticsOf(id), [], `cell ${id}`);
  }
});

Deno.test("diagnostics() reports a name that only a later cell declares", () => {
  const diagnosticsOf = check([
    { id: "a", source: "const early = late + 1;" },
    { id: "b", source: "const late = 1;" },
  ]);
  assert.match(diagnosticsOf("a")[0]?.message ?? "", /Cannot find name 'late'/);
});

Deno.test("diagnostics() finds no errors in any cell of any lesson", async () => {
  const { lessons, errors } = await loadCourse(join(REPO_ROOT, "lessons"));
  assert.deepEqual(errors.map((e) => e.message), []);
  const found: { key: string; where: string }[] = [];
  let cellCount = 0;
  for (const lesson of lessons) {
    const cells = lessonProgramCells(lesson);
    service.setCells(`lesson:${lesson.slug}`, cells);
    for (const cell of cells) {
      cellCount++;
      const block = lesson.blocks.find((b) => b.kind !== "markdown" && b.id === cell.id)!;
      for (const d of service.diagnostics(`lesson:${lesson.slug}`, cell.id)) {
        const key = `${lesson.file} TS${d.code} ${d.message.split("\n")[0]}`;
        found.push({ key, where: `${lesson.file}:${block.line + d.line}` });
      }
    }
  }
  assert.ok(cellCount > 10, `only ${cellCount} cells in lessons/`);
  const typeErrors = found.map((f) => `${f.where}: ${f.key}`);
  assert.deepEqual(typeErrors, [], `lesson cells with type errors:\n${typeErrors.join("\n")}`);
});

Deno.test("completions() lists nn's layers with their signature and JSDoc summary", () => {
  const source = "const layer = new nn.";
  check([{ id: "a", source: SETUP }, { id: "b", source }]);
  const completions = service.completions("test", "b", source.length)!;
  assert.equal(completions.isMember, true);
  assert.equal(completions.from, source.length);
  const labels = completions.options.map((o) => o.label);
  for (const name of ["Linear", "Sequential", "ReLU", "Conv2d", "CrossEntropyLoss"]) {
    assert.ok(labels.includes(name), `${name} missing from ${labels.join(", ")}`);
  }
  assert.equal(completions.options.find((o) => o.label === "Linear")?.type, "class");
  const first = completions.options[0]!;
  assert.match(first.info ?? "", new RegExp(`^class ${first.label}\n\n.+`));
  const linear = service.completionDetails("test", "b", source.length, "Linear");
  assert.match(linear.info ?? "", /^class Linear/);
  assert.match(linear.info ?? "", /Affine layer/);
});

Deno.test("completions() lists tensor methods and filters by the word typed", () => {
  const source = "w.ma";
  check([{ id: "a", source: SETUP }, { id: "b", source }]);
  const completions = service.completions("test", "b", source.length)!;
  assert.equal(completions.from, 2);
  const labels = completions.options.map((o) => o.label);
  assert.ok(labels.includes("matmul") && labels.includes("maskedFill"), labels.join(", "));
  assert.ok(labels.every((label) => label.toLowerCase().startsWith("ma")), labels.join(", "));
  const matmul = completions.options.find((o) => o.label === "matmul")!;
  assert.equal(matmul.type, "method");
  assert.match(matmul.detail ?? "", /matmul\(/);
});

Deno.test("completions() offers names from earlier cells and the optimizers of optim", () => {
  check([{ id: "a", source: SETUP }, { id: "b", source: "ste" }, { id: "c", source: "optim." }]);
  const names = service.completions("test", "b", 3)!.options.map((o) => o.label);
  assert.ok(names.includes("steps"), names.join(", "));
  const optimizers = service.completions("test", "c", 6)!.options.map((o) => o.label);
  assert.ok(optimizers.includes("Adam") && optimizers.includes("SGD"), optimizers.join(", "));
  const details = service.completionDetails("test", "c", 6, "Adam");
  assert.match(details.info ?? "", /class Adam/);
});

Deno.test("hover() shows a runtime function's type and docs, and marks top-level names", () => {
  const source = "const x = tensor([1, 2, 3]);\nx";
  check([{ id: "a", source: SETUP }, { id: "b", source }]);
  const hover = service.hover("test", "b", source.indexOf("tensor") + 2)!;
  assert.equal(source.slice(hover.from, hover.to), "tensor");
  assert.match(hover.signature, /^function tensor\(/);
  assert.ok(hover.documentation.length > 10, hover.documentation);
  assert.equal(hover.name, undefined);
  const variable = service.hover("test", "b", source.length - 1)!;
  assert.equal(variable.signature, "const x: Tensor");
  assert.equal(variable.name, "x");
  const earlier = service.hover("test", "b", source.indexOf("tensor") - 3);
  assert.equal(earlier?.name, "x");
  const namespace = service.hover("test", "a", SETUP.indexOf("nn"))!;
  assert.equal(namespace.signature, "namespace nn");
});

Deno.test("signatureHelp() shows the parameters of optim.Adam and the active one", () => {
  const source = "const opt = new optim.Adam(w, ";
  check([{ id: "a", source: SETUP }, { id: "b", source }]);
  const help = service.signatureHelp("test", "b", source.length)!;
  assert.equal(help.activeParameter, 1);
  const signature = help.signatures[help.activeSignature]!;
  assert.match(signature.label, /^Adam\(params: .*, options\?: .*\): optim\.Adam$/);
  const parameter = signature.parameters[1]!;
  assert.match(signature.label.slice(parameter.from, parameter.to), /^options\?/);
});

Deno.test("diagnostics() stays right across ten edits to one cell", () => {
  // Its speed is measured by the bench (notebook/editor/measure_intelligence.ts), not here.
  const cells = [{ id: "a", source: SETUP }, { id: "b", source: "const m = new nn.Linear(3, 2);" }];
  check(cells);
  service.diagnostics("test", "b");
  for (let i = 0; i < 10; i++) {
    cells[1]!.source = `const m = new nn.Linear(3, ${i});\nm.forward(w).sum()`;
    service.setCells("test", cells);
    assert.deepEqual(service.diagnostics("test", "b"), []);
  }
  cells[1]!.source = "const m = new nn.Linear(3, 2);\nm.forward(w).sum(1, 2, 3, 4)";
  service.setCells("test", cells);
  assert.notDeepEqual(service.diagnostics("test", "b"), []);
});
