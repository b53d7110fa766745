/**
 * Grading isolation (issue #27, finding 1): a learner's answer must not be able to read or rewrite
 * the checks that judge it, forge check results, or share storage with another grading kernel.
 *
 * The forged answer below is the attack from the issue: it leaves `gradOfQuadratic` wrong, then
 * listens for the kernel's next `run` message (the compiled checks), records its text, and
 * rewrites it into a module whose checks all pass and whose names carry the recorded text. It
 * also hooks `Blob` and `URL.createObjectURL`, which saw later cells' code.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseLessonFile } from "../../notebook/course/parse_lesson.ts";
import { gradeExercise, type GradingKernel } from "../../notebook/grader/grade.ts";
import { gradeSubmissions } from "../../notebook/grader/grade_main.ts";
import { KernelProcess } from "../../notebook/kernel/kernel_process.ts";
import type { KernelEvent } from "../../notebook/kernel/protocol.ts";
import { ExerciseGrader } from "../../web/server/grading.ts";
import { Store } from "../../web/server/store.ts";

const LESSON = new URL("../../lessons/00-tour.md", import.meta.url).pathname;
const EXERCISE = "tour-quadratic-grad";

/**
 * Source text of the checks that must never leave the grader (check names and failure messages
 * are shown to the learner by design; the code is not).
 */
const HIDDEN_PHRASES = [
  "gradOfQuadratic([-2, 0.25, 10])",
  "gradOfQuadratic([0, 0, 0])",
  "expectClose(gradOfQuadratic",
];

const FORGED = String.raw`
function gradOfQuadratic(values: number[]): number[] {
  return values.map(() => 0);
}
const seen: string[] = [];
const forge = (code: string) => {
  seen.push(code);
  const names = JSON.stringify(seen.join(" | ").slice(0, 4000));
  return "export default async function (h) { const t = await h.import('gradbook/testing');" +
    " t.check(" + names + ", () => {}, { points: 100 }); }";
};
addEventListener("message", (event: MessageEvent) => {
  const data = event.data as { type?: string; js?: string } | undefined;
  if (data?.type === "run" && typeof data.js === "string") data.js = forge(data.js);
});
const OriginalBlob = Blob;
(globalThis as Record<string, unknown>).Blob = class extends OriginalBlob {
  constructor(parts: BlobPart[], options?: BlobPropertyBag) {
    seen.push(parts.map(String).join(""));
    super(parts, options);
  }
};
const originalCreate = URL.createObjectURL;
URL.createObjectURL = (blob: Blob) => originalCreate(blob);
`;

/** Wraps a real kernel so the test sees every event of every cell the grader runs. */
function recordingKernel(events: KernelEvent[]) {
  return (limits: { cellTimeoutMs?: number; memoryLimitMiB?: number }): GradingKernel => {
    const kernel = new KernelProcess({ cellTimeoutMs: limits.cellTimeoutMs ?? 60_000 });
    return {
      start: () => kernel.start(),
      execute: (cellId, code, onEvent, options) =>
        kernel.execute(cellId, code, (event) => {
          events.push(event);
          onEvent(event);
        }, options),
      shutdown: () => kernel.shutdown(),
    };
  };
}

function assertNoHiddenText(events: unknown, where: string): void {
  const text = JSON.stringify(events);
  for (const phrase of HIDDEN_PHRASES) {
    assert.ok(!text.includes(phrase), `${where}: hidden test text "${phrase}" leaked: ${text}`);
  }
}

Deno.test("a forged answer to tour-quadratic-grad scores 0 and sees no hidden test (gradeExercise)", async () => {
  const lesson = await parseLessonFile(LESSON);
  const events: KernelEvent[] = [];
  const result = await gradeExercise(lesson, EXERCISE, FORGED, {
    cellTimeoutMs: 60_000,
    createKernel: recordingKernel(events),
  });
  assert.equal(result.score, 0, `forged answer scored ${result.score}: ${result.message}`);
  assert.ok(result.checks.every((c) => !c.passed), JSON.stringify(result.checks));
  assertNoHiddenText(result, "grade result");
  assertNoHiddenText(events, "kernel events");
});

Deno.test("a forged answer scores 0 on the server's Check route", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradbook-isolation-" });
  const store = Store.open(dir);
  const grader = new ExerciseGrader(store, { cellTimeoutMs: 60_000 });
  try {
    const lesson = await parseLessonFile(LESSON);
    const progress = await grader.check(lesson, EXERCISE, FORGED);
    assert.equal(progress.bestScore, 0, JSON.stringify(progress));
    assertNoHiddenText(progress, "Check route progress");
  } finally {
    await grader.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a forged answer scores 0 in deno task grade, and learners share no Cache API", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradbook-isolation-" });
  try {
    const lessonsDir = join(dir, "lessons");
    await Deno.mkdir(lessonsDir);
    await Deno.copyFile(LESSON, join(lessonsDir, "00-tour.md"));
    // The first learner stores a secret in the Cache API; the second one looks for it.
    const writer = `${FORGED}
if (typeof caches !== "undefined") {
  const cache = await caches.open("shared");
  await cache.put("https://gradbook.invalid/secret", new Response("secret-from-ada"));
}`;
    const reader = `
const found = typeof caches === "undefined"
  ? undefined
  : await (await (await caches.open("shared")).match("https://gradbook.invalid/secret"))?.text();
function gradOfQuadratic(values: number[]): number[] {
  if (found === "secret-from-ada") return values.map((v) => 2 * v + 1);
  return values.map(() => 0);
}`;
    const file = (learner: string, source: string) =>
      JSON.stringify({
        format: "gradbook-progress",
        version: 1,
        exportedAt: "2026-12-05T00:00:00.000Z",
        learner,
        lessons: { "00-tour": { sources: { [EXERCISE]: source }, cellsDone: [], exercises: {} } },
      });
    await Deno.writeTextFile(join(dir, "a-ada.json"), file("ada", writer));
    await Deno.writeTextFile(join(dir, "b-bob.json"), file("bob", reader));
    const { rows, problems } = await gradeSubmissions(
      [join(dir, "a-ada.json"), join(dir, "b-bob.json")],
      { lessonsDir, cellTimeoutMs: 60_000 },
    );
    assert.deepEqual(problems, []);
    const ada = rows.find((r) => r.learner === "ada")!;
    const bob = rows.find((r) => r.learner === "bob")!;
    assert.equal(ada.points, 0, `forged answer scored ${ada.points}: ${ada.message}`);
    assertNoHiddenText(rows, "gradebook rows");
    assert.equal(bob.points, 0, "the second learner read the first one's Cache API entry");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cell code sees no protocol message and cannot forge one", async () => {
  const kernel = new KernelProcess({ cellTimeoutMs: 20_000 });
  try {
    await kernel.start();
    const events: KernelEvent[] = [];
    const collect = (event: KernelEvent) => events.push(event);
    await kernel.execute(
      "spy",
      `globalThis.heard = [];
addEventListener("message", (e) => heard.push(JSON.stringify(e.data)));
globalThis.onmessage = (e) => heard.push(JSON.stringify(e.data));`,
      collect,
    );
    await kernel.execute("later", "const secretLater = 'SECRET-LATER-CELL'; 1", collect);
    // A forged "done" for the next execution and a forged display, sent on the worker's channel.
    const forged = await kernel.execute(
      "forge",
      `postMessage({ type: "display", id: "x3", displayId: "", update: false,
  data: { "text/plain": "FORGED-DISPLAY" } });
postMessage({ type: "done", id: "x3", status: "ok" });
await new Promise((r) => setTimeout(r, 300));
heard.length`,
      collect,
    );
    assert.equal(forged.status, "ok");
    const result = events.find((e) => e.type === "result" && e.id === forged.id);
    assert.deepEqual((result as { data: Record<string, unknown> }).data["text/plain"], "0");
    assert.ok(!JSON.stringify(events).includes("FORGED-DISPLAY"), JSON.stringify(events));
    const storage = await kernel.execute("storage", "typeof caches", collect);
    const kind = events.find((e) => e.type === "result" && e.id === storage.id);
    assert.equal((kind as { data: Record<string, unknown> }).data["text/plain"], '"undefined"');
  } finally {
    await kernel.shutdown();
  }
});
