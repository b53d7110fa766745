import assert from "node:assert/strict";
import { parseLesson, toPublicLesson } from "../../notebook/course/parse_lesson.ts";
import type { PublicLesson } from "../../notebook/course/types.ts";
import type { IntelligenceResponses } from "../../notebook/editor/types.ts";
import { IntelligenceRoutes } from "./intelligence_routes.ts";
import { INTELLIGENCE_LESSON } from "./test_support.ts";

const lesson = toPublicLesson(parseLesson(INTELLIGENCE_LESSON, "lessons/intel.md"));
const lessons = new Map<string, PublicLesson>([["intel", lesson]]);

async function post<K extends keyof IntelligenceResponses>(
  routes: IntelligenceRoutes,
  action: K,
  body: unknown,
): Promise<IntelligenceResponses[K]> {
  const path = `/api/lessons/intel/intelligence/${action}`;
  const request = new Request(`http://localhost${path}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  const response = await routes.handle(request, path, lessons);
  assert.equal(response?.status, 200);
  return await response!.json();
}

Deno.test("Scratch cells see the lesson's declarations above them, and lesson cells below see theirs", async () => {
  const routes = new IntelligenceRoutes();
  try {
    // A scratch cell between c1 and c2 completes `batch.` from c1.
    const scratch = "const doubled = batch.mul(2);\nbatch.";
    const order = ["c1", "scratch-mine", "c2"];
    const completions = await post(routes, "completions", {
      cellId: "scratch-mine",
      sources: { "scratch-mine": scratch },
      order,
      offset: scratch.length,
    });
    const labels = completions.completions?.options.map((o) => o.label) ?? [];
    assert.ok(labels.includes("shape"), labels.slice(0, 20).join(", "));
    // c2 below it may use `doubled` without an error; without the scratch cell it may not.
    const c2 = "const model = new nn.Linear(784, 10);\nconst y = model.forward(doubled);";
    const seen = await post(routes, "diagnostics", {
      cellId: "c2",
      sources: { "scratch-mine": scratch.split("\n")[0], c2 },
      order,
    });
    assert.deepEqual(seen.diagnostics.map((d) => d.message), []);
    const unseen = await post(routes, "diagnostics", { cellId: "c2", sources: { c2 } });
    assert.match(unseen.diagnostics.map((d) => d.message).join("\n"), /doubled/);
    // An id of another form in `order` is not a scratch cell and is left out.
    const hostile = await post(routes, "diagnostics", {
      cellId: "c2",
      sources: { "evil": scratch.split("\n")[0], c2 },
      order: ["c1", "evil", "c2"],
    });
    assert.match(hostile.diagnostics.map((d) => d.message).join("\n"), /doubled/);
  } finally {
    routes.close();
  }
});
