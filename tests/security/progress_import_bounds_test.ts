/**
 * Progress imports checked against the course (issue #27, finding 5): a file cannot reveal a
 * solution without an attempt nor claim more points than an exercise has.
 *
 * @module
 */
import assert from "node:assert/strict";
import { postJson, startTestServer } from "../../web/server/test_support.ts";
import { withTempDir } from "./support.ts";

function progressFile(exercise: Record<string, unknown>, sources: Record<string, string> = {}) {
  return JSON.stringify({
    format: "gradbook-progress",
    version: 1,
    exportedAt: "2026-12-05T00:00:00.000Z",
    lessons: {
      "01-doubling": {
        sources,
        cellsDone: [],
        exercises: {
          "double-it": { hintsUnlocked: 0, solutionRevealedAt: null, attempts: [], ...exercise },
        },
      },
    },
  });
}

const attempt = (score: number, passed: boolean, extra: Record<string, unknown> = {}) => ({
  createdAt: 1_700_000_000_000,
  source: "function double(xs: number[]) { return xs; }",
  status: "graded",
  score,
  maxScore: 3,
  checks: [{ name: "c", passed, points: 1, earned: passed ? 1 : 0, visible: true, message: "" }],
  message: "",
  ...extra,
});

Deno.test("imports cannot reveal solutions without an attempt nor claim extra points", async () => {
  await withTempDir(async (root) => {
    const server = await startTestServer(root);
    try {
      const importFile = (text: string) => postJson(`${server.url}api/progress/import`, text);
      const exercise = async () => {
        const file = await (await fetch(`${server.url}api/progress/export`)).json();
        return file.lessons["01-doubling"]?.exercises?.["double-it"];
      };
      const revealed = await importFile(progressFile({ solutionRevealedAt: 1_700_000_000_000 }));
      assert.equal(
        revealed.status,
        400,
        `a solution revealed without an attempt: ${revealed.text}`,
      );
      assert.equal((await exercise())?.solutionRevealedAt ?? null, null);

      const inflated = await importFile(progressFile({ attempts: [attempt(1e6, true)] }));
      assert.equal(inflated.status, 400, `a score of 1e6: ${inflated.text}`);
      const wrongMax = await importFile(
        progressFile({ attempts: [attempt(3, true, { maxScore: 1e6 })] }),
      );
      assert.equal(wrongMax.status, 400, `a maxScore the exercise does not have: ${wrongMax.text}`);

      // A score its own checks do not support is recomputed from them.
      const claimed = await importFile(progressFile({ attempts: [attempt(3, false)] }));
      assert.equal(claimed.status, 200, claimed.text);
      const saved = await exercise();
      assert.equal(saved.attempts.length, 1);
      assert.equal(saved.attempts[0].score, 0);
    } finally {
      await server.shutdown();
    }
  });
});

/** CPU time the calling thread (the server's event loop here) has used, in ms (Linux). */
function threadCpuMs(): number {
  return Number(Deno.readTextFileSync("/proc/thread-self/schedstat").split(" ")[0]) / 1e6;
}

// The server runs in this process, its event loop sampled by a 10 ms timer while a 16 MiB file
// is imported through the HTTP route. The bound is on the CPU time the loop spent between two
// samples (a CPU-time budget: waiting for a core on a loaded machine does not count): before the
// import moved to a worker with its own database connection, copying the parsed file back and
// writing it held the loop for over a second of CPU.
Deno.test({
  name: "a 16 MiB import leaves the server answering while it runs",
  ignore: Deno.build.os !== "linux",
}, async () => {
  await withTempDir(async (root) => {
    const server = await startTestServer(root);
    try {
      const checks = Array.from({ length: 500 }, (_, i) => ({
        name: `check ${i}`,
        passed: false,
        points: 1,
        earned: 0,
        visible: false,
        message: "m".repeat(100),
      }));
      const attempts = Array.from({ length: 170 }, (_, i) => ({
        ...attempt(0, false),
        createdAt: 1_700_000_000_000 + i,
        checks,
      }));
      // Encoded up front: this test's client shares the server's thread.
      const body = new TextEncoder().encode(progressFile({ attempts }));
      assert.ok(body.length > 15 * 1024 * 1024 && body.length <= 16 * 1024 * 1024);
      let last = { wall: performance.now(), cpu: threadCpuMs() };
      const longest = { wall: 0, cpu: 0 };
      const sample = () => {
        const now = { wall: performance.now(), cpu: threadCpuMs() };
        longest.wall = Math.max(longest.wall, now.wall - last.wall);
        longest.cpu = Math.max(longest.cpu, now.cpu - last.cpu);
        last = now;
      };
      const started = performance.now();
      const beat = setInterval(sample, 10);
      let finished = false;
      let answered = 0;
      let imported;
      try {
        const importing = fetch(`${server.url}api/progress/import`, { method: "POST", body })
          .then(async (response) => ({ status: response.status, text: await response.text() }))
          .finally(() => finished = true);
        // A learner's page keeps loading meanwhile.
        while (!finished) {
          const page = await fetch(server.url);
          await page.body?.cancel();
          assert.equal(page.status, 200);
          if (!finished) answered++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        imported = await importing;
      } finally {
        clearInterval(beat);
        sample();
      }
      const duration = performance.now() - started;
      assert.equal(imported.status, 200, imported.text);
      assert.equal(JSON.parse(imported.text).imported.attempts, 170);
      console.log(
        `16 MiB import: ${duration.toFixed(0)} ms; longest event-loop stall ` +
          `${longest.wall.toFixed(0)} ms (${longest.cpu.toFixed(0)} ms of CPU); ` +
          `${answered} pages served meanwhile`,
      );
      assert.ok(answered >= 1, "no page was served while the import ran");
      assert.ok(
        longest.cpu < 250,
        `the server's event loop ran ${longest.cpu.toFixed(0)} ms of CPU without a break`,
      );
      const file = await (await fetch(`${server.url}api/progress/export`)).json();
      assert.equal(file.lessons["01-doubling"].exercises["double-it"].attempts.length, 170);
    } finally {
      await server.shutdown();
    }
  });
});
