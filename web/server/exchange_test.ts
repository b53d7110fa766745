import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer } from "./app.ts";
import {
  EXERCISE_LESSON,
  IdleKernel,
  scriptedGradingKernel,
  writeLessons,
} from "./test_support.ts";
import { submissionFileName, submitToExchange } from "./exchange.ts";
import { gradeSubmissions } from "../../notebook/grader/grade_main.ts";

Deno.test("submissionFileName() gives distinct users distinct names that stay in the folder", () => {
  const users = ["alice", "Alice", "a_b", "a.b", "a-b", "a/b", "..", ".", "ünï", "a b", "_2e"];
  const names = users.map(submissionFileName);
  assert.equal(new Set(names).size, users.length, names.join(" "));
  for (const name of names) {
    assert.match(name, /^[A-Za-z0-9_-]+\.json$/);
    assert.ok(!name.startsWith("."), name);
  }
  assert.throws(() => submissionFileName(""), TypeError);
});

Deno.test("submitToExchange() replaces a learner's file atomically and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradbook-exchange-" });
  try {
    await Deno.writeTextFile(join(dir, "bob.json"), "bob's work");
    const first = await submitToExchange(dir, "alice", '{"v":1}');
    assert.equal(first, join(dir, "alice.json"));
    await submitToExchange(dir, "alice", '{"v":2}');
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["alice.json", "bob.json"]);
    assert.equal(await Deno.readTextFile(join(dir, "alice.json")), '{"v":2}');
    assert.equal(await Deno.readTextFile(join(dir, "bob.json")), "bob's work");
    // A name that would climb out of the folder is escaped into it.
    const escaped = await submitToExchange(dir, "../x", "{}");
    assert.equal(escaped, join(dir, "_2e_2e_2fx.json"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a class of three submits through the exchange and deno task grade grades each learner",
  sanitizeResources: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "gradbook-class-" });
    const lessonsDir = await writeLessons(root, { "01-doubling.md": EXERCISE_LESSON });
    const exchange = join(root, "exchange");
    await Deno.mkdir(exchange);
    const answers: Record<string, string> = {
      ada: "function double(xs: number[]): number[] {\n  return xs.map((x) => x * factor);\n}",
      "bo.b": "function double(xs: number[]): number[] {\n  return xs.map((x) => x + factor);\n}",
      cy: "function double(xs: number[]): number[] {\n  return xs;\n}",
    };
    try {
      // One server per learner, as a hub runs them, all sharing the exchange folder.
      for (const [learner, code] of Object.entries(answers)) {
        const server = await startServer({
          lessonsDir,
          dataDir: join(root, learner),
          port: 0,
          createKernel: () => new IdleKernel(),
          grading: { createKernel: scriptedGradingKernel() },
          authenticate: () => Promise.resolve({ name: learner }),
          exchange: { dir: exchange, learner: "unused" },
        });
        try {
          const check = await fetch(
            `${server.url}api/lessons/01-doubling/exercises/double-it/check`,
            { method: "POST", body: JSON.stringify({ code }) },
          );
          assert.equal(check.status, 200);
          await check.body?.cancel();
          const submitted = await fetch(`${server.url}api/exchange/submit`, { method: "POST" });
          assert.deepEqual(await submitted.json(), {
            learner,
            file: submissionFileName(learner),
          });
        } finally {
          await server.shutdown();
        }
      }
      const files = [...Deno.readDirSync(exchange)].map((e) => e.name).sort();
      assert.deepEqual(files, ["ada.json", "bo_2eb.json", "cy.json"]);
      // The grader runs each learner's code in a real kernel, against the hidden tests too.
      const { rows, problems } = await gradeSubmissions([exchange], { lessonsDir });
      assert.deepEqual(problems, []);
      const points = Object.fromEntries(rows.map((row) => [row.learner, row.points]));
      assert.deepEqual(points, { ada: 3, "bo.b": 1, cy: 0 });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
