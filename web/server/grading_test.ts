import assert from "node:assert/strict";
import {
  IdleKernel,
  postJson,
  scriptedGradingKernel,
  SOLUTION_MARKER,
  startTestServer,
  TESTS_MARKER,
} from "./test_support.ts";

const WRONG = "function double(xs: number[]): number[] { return xs.map((x) => x + factor); }";
const RIGHT = "function double(xs: number[]): number[] { return xs.map((x) => x * factor); }";

async function withRoot(body: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "gradbook-grading-" });
  try {
    await body(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("Check grades in a fresh kernel, records the attempt, and never starts the notebook kernel", async () => {
  await withRoot(async (root) => {
    const started = { count: 0 };
    IdleKernel.created = 0;
    const server = await startTestServer(root, scriptedGradingKernel(0, started));
    try {
      const api = `${server.url}api/lessons/01-doubling/exercises/double-it/`;
      const first = await postJson(`${api}check`, { code: WRONG });
      assert.equal(first.status, 200);
      const progress = first.json.progress as {
        attempts: number;
        bestScore: number;
        last: { status: string; score: number; checks: { name: string; passed: boolean }[] };
      };
      assert.equal(progress.attempts, 1);
      assert.equal(progress.last.status, "graded");
      assert.equal(progress.last.score, 1);
      assert.deepEqual(progress.last.checks.map((c) => c.passed), [false, true, false]);
      assert.deepEqual(first.json.link, {
        ...(first.json.link as object),
        pointsEarned: 1,
        pointsTotal: 3,
      });
      const crash = await postJson(`${api}check`, { code: "throw new Error('x')" });
      const crashed = (crash.json.progress as { last: { status: string; message: string } }).last;
      assert.equal(crashed.status, "crash");
      assert.match(crashed.message, /Your code threw Error \(line 2\) while your code ran: boom/);
      const syntax = await postJson(`${api}check`, { code: "function (" });
      assert.equal(
        (syntax.json.progress as { last: { status: string } }).last.status,
        "syntax-error",
      );
      assert.equal(started.count, 2, "a syntax error is reported without starting a kernel");
      assert.equal(IdleKernel.created, 0, "grading does not touch the notebook's kernel");

      const state = await (await fetch(`${server.url}api/lessons/01-doubling/state`)).json();
      assert.equal(state.exercises["double-it"].attempts, 3);
      assert.equal(state.exercises["double-it"].bestScore, 1);
      assert.match(await (await fetch(server.url)).text(), /1\/3 pts/);

      const badCode = await postJson(`${api}check`, { code: 42 });
      assert.equal(badCode.status, 400);
      assert.match(String(badCode.json.error), /"code"/);
      const unknown = await postJson(
        `${server.url}api/lessons/01-doubling/exercises/nope/check`,
        { code: "" },
      );
      assert.equal(unknown.status, 404);
      assert.match(String(unknown.json.error), /no exercise "nope"/);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("A second check of the same exercise while one runs is refused politely", async () => {
  await withRoot(async (root) => {
    const server = await startTestServer(root, scriptedGradingKernel(150));
    try {
      const url = `${server.url}api/lessons/01-doubling/exercises/double-it/check`;
      const [a, b] = await Promise.all([
        postJson(url, { code: RIGHT }),
        new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
          postJson(url, { code: WRONG })
        ),
      ]);
      assert.equal(a.status, 200);
      assert.equal(b.status, 409);
      assert.equal(b.json.error, "This exercise is already being checked; wait for its result.");
      const again = await postJson(url, { code: RIGHT });
      assert.equal(again.status, 200, "the next check after the first finished is accepted");
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("Hints unlock one at a time, the solution only after an attempt, and hidden tests never leave the server", async () => {
  await withRoot(async (root) => {
    const server = await startTestServer(root);
    const answers: string[] = [];
    const hint = async (index: unknown) => {
      const answer = await postJson(
        `${server.url}api/lessons/01-doubling/exercises/double-it/hints`,
        { index },
      );
      answers.push(answer.text);
      return answer;
    };
    try {
      const api = `${server.url}api/lessons/01-doubling/`;
      const page = await (await fetch(`${server.url}lessons/01-doubling`)).text();
      answers.push(page, await (await fetch(`${api}state`)).text());
      answers.push(await (await fetch(`${server.url}api/lessons`)).text());
      assert.doesNotMatch(
        page,
        /Use <code>xs\.map/,
        "no hint is in the page before it is asked for",
      );
      assert.match(page, /double every number/);

      const early = await postJson(`${api}exercises/double-it/solution`, {});
      answers.push(early.text);
      assert.equal(early.status, 409);
      assert.equal(
        early.json.error,
        "Check your answer at least once before revealing the solution.",
      );
      const skip = await hint(1);
      assert.equal(skip.status, 409);
      assert.equal(skip.json.error, "Unlock hint 1 before hint 2.");
      const first = await hint(0);
      assert.equal(first.status, 200);
      const hints = (first.json.progress as { hintsHtml: string[] }).hintsHtml;
      assert.equal(hints.length, 1);
      assert.match(hints[0]!, /Use <code>xs\.map/);
      assert.equal(((await hint(0)).json.progress as { hintsHtml: string[] }).hintsHtml.length, 1);
      assert.equal((await hint(2)).status, 400);

      const checked = await postJson(`${api}exercises/double-it/check`, { code: WRONG });
      answers.push(checked.text);
      answers.push(await (await fetch(`${server.url}api/progress/export`)).text());
      for (const answer of answers) {
        assert.ok(!answer.includes(TESTS_MARKER), "no answer contains the hidden tests");
        assert.ok(!answer.includes(SOLUTION_MARKER), "no answer contains the solution yet");
      }

      const revealed = await postJson(`${api}exercises/double-it/solution`, {});
      assert.equal(revealed.status, 200);
      const progress = revealed.json.progress as { solution: string; solutionRevealedAt: number };
      assert.match(progress.solution, new RegExp(SOLUTION_MARKER));
      assert.ok(progress.solutionRevealedAt > 0);
      const exported = await (await fetch(`${server.url}api/progress/export`)).json();
      const record = exported.lessons["01-doubling"].exercises["double-it"];
      assert.equal(record.solutionRevealedAt, progress.solutionRevealedAt);
      assert.equal(record.hintsUnlocked, 1);
      const after = await (await fetch(`${server.url}lessons/01-doubling`)).text();
      assert.ok(!after.includes(TESTS_MARKER), "the hidden tests stay hidden after the reveal");
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("Progress survives a server restart", async () => {
  await withRoot(async (root) => {
    let server = await startTestServer(root);
    const api = () => `${server.url}api/lessons/01-doubling/`;
    try {
      await postJson(`${api()}exercises/double-it/check`, { code: RIGHT });
      await postJson(`${api()}exercises/double-it/hints`, { index: 0 });
      await postJson(`${api()}sources`, { sources: { "double-it": RIGHT } });
    } finally {
      await server.shutdown();
    }
    server = await startTestServer(root);
    try {
      const state = await (await fetch(`${api()}state`)).json();
      assert.equal(state.sources["double-it"], RIGHT);
      const progress = state.exercises["double-it"];
      assert.equal(progress.attempts, 1);
      assert.equal(progress.bestScore, 3);
      assert.equal(progress.last.status, "graded");
      assert.equal(progress.hintsHtml.length, 1);
      const index = await (await fetch(server.url)).text();
      assert.match(index, /3\/3 pts/);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("Revealing the solution caps the exercise at half its points, and an import cannot un-reveal it", async () => {
  await withRoot(async (root) => {
    const server = await startTestServer(root);
    try {
      const api = `${server.url}api/lessons/01-doubling/`;
      const first = await postJson(`${api}exercises/double-it/check`, { code: RIGHT });
      const before = first.json.progress as { bestScore: number; last: { score: number } };
      assert.equal(before.last.score, 3);
      assert.equal(before.bestScore, 3);
      const exportedBefore = await (await fetch(`${server.url}api/progress/export`)).text();

      const revealed = await postJson(`${api}exercises/double-it/solution`, {});
      assert.equal((revealed.json.progress as { bestScore: number }).bestScore, 1.5);
      const again = await postJson(`${api}exercises/double-it/check`, { code: RIGHT });
      const after = again.json.progress as {
        bestScore: number;
        last: { score: number; message: string };
      };
      assert.equal(after.last.score, 1.5);
      assert.match(
        after.last.message,
        /revealed the solution, so this exercise scores at most 1\.5\/3/,
      );
      assert.equal(after.bestScore, 1.5);
      const lessons = await (await fetch(`${server.url}api/lessons`)).json();
      const link = (lessons.lessons ?? lessons).find((l: { slug: string }) =>
        l.slug === "01-doubling"
      );
      assert.equal(link.pointsEarned, 1.5);

      // Importing the export taken before the reveal keeps the reveal (and the cap).
      const imported = await fetch(`${server.url}api/progress/import`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: exportedBefore,
      });
      await imported.body?.cancel();
      assert.equal(imported.status, 200);
      const state = await (await fetch(`${server.url}api/progress/export`)).json();
      assert.ok(state.lessons["01-doubling"].exercises["double-it"].solutionRevealedAt > 0);
      const view = await (await fetch(`${api}state`)).json();
      const progress = JSON.stringify(view);
      assert.match(progress, /"bestScore":1\.5/);
    } finally {
      await server.shutdown();
    }
  });
});
