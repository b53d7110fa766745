import assert from "node:assert/strict";
import { parseLesson, toPublicLesson } from "../../notebook/course/parse_lesson.ts";
import type { PublicLesson } from "../../notebook/course/types.ts";
import type { IntelligenceResponses } from "../../notebook/editor/types.ts";
import { IntelligenceRoutes } from "./intelligence_routes.ts";
import { INTELLIGENCE_LESSON } from "./test_support.ts";

// One routes object (one language service) for every test.
const routes = new IntelligenceRoutes();
const lesson = toPublicLesson(parseLesson(INTELLIGENCE_LESSON, "lessons/intel.md"));
const lessons = new Map<string, PublicLesson>([["intel", lesson]]);

async function post<K extends keyof IntelligenceResponses>(
  action: K,
  body: unknown,
  inspect?: (slug: string, name: string) => Promise<string | null>,
): Promise<{ status: number; body: IntelligenceResponses[K] & { error?: string } }> {
  const path = `/api/lessons/intel/intelligence/${action}`;
  const request = new Request(`http://localhost${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const response = await routes.handle(request, path, lessons, inspect);
  assert.ok(response !== null);
  return { status: response.status, body: await response.json() };
}

Deno.test("POST …/intelligence/diagnostics checks the page's edited source of a cell", async () => {
  const edited = 'const model = new nn.Linear(784, "10");';
  const { status, body } = await post("diagnostics", { cellId: "c2", sources: { c2: edited } });
  assert.equal(status, 200);
  assert.equal(body.diagnostics.length, 1);
  assert.equal(edited.slice(body.diagnostics[0]!.from, body.diagnostics[0]!.to), '"10"');
  const original = await post("diagnostics", { cellId: "c2", sources: {} });
  assert.deepEqual(original.body.diagnostics, []);
});

Deno.test("POST …/intelligence/completions lists members at the offset", async () => {
  const source = "const model = new nn.Linear(784, 10);\nmodel.";
  const { body } = await post("completions", {
    cellId: "c2",
    sources: { c2: source },
    offset: source.length,
  });
  const labels = body.completions?.options.map((o) => o.label) ?? [];
  assert.ok(labels.includes("forward") && labels.includes("parameters"), labels.join(", "));
  const info = await post("completion-info", {
    cellId: "c2",
    sources: { c2: source },
    offset: source.length,
    name: "parameters",
  });
  assert.match(info.body.info ?? "", /parameters\(/);
});

Deno.test("POST …/intelligence/hover adds the kernel's live value of a top-level name", async () => {
  const asked: string[] = [];
  const { body } = await post("hover", { cellId: "c1", sources: {}, offset: 45 }, (slug, name) => {
    asked.push(`${slug}/${name}`);
    return Promise.resolve("Tensor [64, 784] float32");
  });
  assert.deepEqual(asked, ["intel/batch"]);
  assert.equal(body.hover?.signature, "const batch: Tensor");
  assert.equal(body.hover?.live, "Tensor [64, 784] float32");
});

Deno.test("POST …/intelligence/signature gives parameter hints inside a call", async () => {
  const source = "const model = new nn.Linear(784, ";
  const { body } = await post("signature", {
    cellId: "c2",
    sources: { c2: source },
    offset: source.length,
  });
  assert.equal(body.help?.activeParameter, 1);
  assert.match(body.help?.signatures[0]?.label ?? "", /^Linear\(inFeatures: number/);
});

Deno.test("The intelligence routes refuse unknown cells, bad bodies and other methods", async () => {
  assert.equal((await post("diagnostics", { cellId: "c9", sources: {} })).status, 400);
  assert.equal((await post("diagnostics", "{not json")).status, 400);
  const bad = await post("diagnostics", { cellId: "c1", sources: { c1: 5 } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error ?? "", /"sources" must be an object of cell id to source text/);
  const get = await routes.handle(
    new Request("http://localhost/x"),
    "/api/lessons/intel/intelligence/hover",
    lessons,
  );
  assert.equal(get?.status, 405);
  const missing = await routes.handle(
    new Request("http://localhost/x", { method: "POST", body: "{}" }),
    "/api/lessons/nope/intelligence/hover",
    lessons,
  );
  assert.equal(missing?.status, 404);
  assert.equal(
    await routes.handle(new Request("http://localhost/"), "/api/lessons", lessons),
    null,
  );
});

Deno.test("IntelligenceRoutes.close() stops the language worker", () => {
  assert.ok(routes.worker.starts >= 1);
  routes.close();
  assert.equal(routes.worker.isRunning, false);
});
