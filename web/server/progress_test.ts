import assert from "node:assert/strict";
import { join } from "node:path";
import { gradeMain } from "../../notebook/grader/grade_main.ts";
import type { GradebookRow } from "../../notebook/grader/gradebook.ts";
import { postJson, startTestServer } from "./test_support.ts";

const RIGHT = "function double(xs: number[]): number[] { return xs.map((x) => x * factor); }";

async function withRoots(count: number, body: (roots: string[]) => Promise<void>) {
  const roots = await Promise.all(
    Array.from({ length: count }, () => Deno.makeTempDir({ prefix: "gradbook-progress-" })),
  );
  try {
    await body(roots);
  } finally {
    for (const root of roots) await Deno.remove(root, { recursive: true });
  }
}

Deno.test("Progress exported from one server and imported into another comes back the same", async () => {
  await withRoots(2, async ([a, b]) => {
    const first = await startTestServer(a!);
    let file: string;
    try {
      const api = `${first.url}api/lessons/01-doubling/`;
      await postJson(`${api}sources`, { sources: { c1: "factor * 10", "double-it": RIGHT } });
      await postJson(`${api}exercises/double-it/check`, { code: RIGHT });
      await postJson(`${api}exercises/double-it/hints`, { index: 0 });
      await postJson(`${api}exercises/double-it/solution`, {});
      const response = await fetch(`${first.url}api/progress/export?learner=Ada%20Lovelace`);
      assert.match(
        response.headers.get("content-disposition") ?? "",
        /^attachment; filename="gradbook-Ada-Lovelace-\d{4}-\d\d-\d\d\.json"$/,
      );
      file = await response.text();
    } finally {
      await first.shutdown();
    }
    const exported = JSON.parse(file);
    assert.equal(exported.format, "gradbook-progress");
    assert.equal(exported.version, 1);
    assert.equal(exported.learner, "Ada Lovelace");

    const second = await startTestServer(b!);
    try {
      const imported = await postJson(`${second.url}api/progress/import`, file);
      assert.equal(imported.status, 200);
      assert.deepEqual(imported.json.imported, {
        lessons: 1,
        sources: 2,
        cellsDone: 0,
        attempts: 1,
        widgets: 0,
        scratch: 0,
      });
      const again = await postJson(`${second.url}api/progress/import`, file);
      assert.equal((again.json.imported as { attempts: number }).attempts, 0, "no duplicates");
      const back = await (await fetch(`${second.url}api/progress/export?learner=Ada Lovelace`))
        .json();
      assert.deepEqual({ ...back, exportedAt: "" }, { ...exported, exportedAt: "" });
      const state = await (await fetch(`${second.url}api/lessons/01-doubling/state`)).json();
      assert.equal(state.sources.c1, "factor * 10");
      // The solution was revealed: the stated cap (half the points) travels with the reveal.
      assert.equal(state.exercises["double-it"].bestScore, 1.5);
      assert.match(await (await fetch(second.url)).text(), /1\.5\/3 pts/);

      // Widget values travel too (a file from a learner who moved a slider).
      exported.lessons["01-doubling"].widgets = {
        c1: { "slider:factor": 3, "checkbox:log": true },
      };
      const withWidgets = await postJson(
        `${second.url}api/progress/import`,
        JSON.stringify(exported),
      );
      assert.equal((withWidgets.json.imported as { widgets: number }).widgets, 2);
      const stateAfter = await (await fetch(`${second.url}api/lessons/01-doubling/state`)).json();
      assert.deepEqual(stateAfter.widgets, { c1: { "slider:factor": 3, "checkbox:log": true } });
      const exportedAgain = await (await fetch(`${second.url}api/progress/export`)).json();
      assert.deepEqual(exportedAgain.lessons["01-doubling"].widgets, {
        c1: { "checkbox:log": true, "slider:factor": 3 },
      });
      exported.lessons["01-doubling"].widgets = { nope: { "slider:x": 1 } };
      const refused = await postJson(`${second.url}api/progress/import`, JSON.stringify(exported));
      assert.equal(refused.status, 400);
      assert.match(String(refused.json.error), /widget values for cell "nope"/);
    } finally {
      await second.shutdown();
    }
  });
});

Deno.test("Bad progress files are refused with a clear message and change nothing", async () => {
  await withRoots(1, async ([root]) => {
    const server = await startTestServer(root!);
    try {
      const api = `${server.url}api/lessons/01-doubling/`;
      await postJson(`${api}sources`, { sources: { c1: "factor * 10" } });
      await postJson(`${api}exercises/double-it/check`, { code: RIGHT });
      const before = await (await fetch(`${server.url}api/progress/export`)).json();
      const good = { ...before, lessons: structuredClone(before.lessons) };
      const lesson = good.lessons["01-doubling"];
      const cases: [string, RegExp][] = [
        ["{", /^The progress file was not imported: The file is not valid JSON/],
        [
          JSON.stringify({ ...good, version: 9 }),
          /format version 9; this gradbook reads version 1/,
        ],
        [JSON.stringify({ ...good, format: "other" }), /not a gradbook progress export/],
        [
          JSON.stringify(good).replace('"sources":{', '"sources":{"__proto__":{"x":1},'),
          /sources has the forbidden key "__proto__"/,
        ],
        [
          JSON.stringify({ ...good, lessons: { ...good.lessons, "99-gone": lesson } }),
          /progress for the lesson "99-gone", which this course does not have/,
        ],
        [
          JSON.stringify({
            ...good,
            lessons: { "01-doubling": { ...lesson, sources: { ...lesson.sources, c9: "x" } } },
          }),
          /an edit of cell "c9", which lesson "01-doubling" does not have/,
        ],
        [
          JSON.stringify({
            ...good,
            lessons: {
              "01-doubling": {
                ...lesson,
                sources: { c1: "changed" },
                exercises: {
                  "double-it": { ...lesson.exercises["double-it"], hintsUnlocked: 5 },
                },
              },
            },
          }),
          /unlocks 5 hints of exercise "double-it", which has 2/,
        ],
        [
          JSON.stringify({ ...good, learner: 7 }),
          /learner must be a string, got 7/,
        ],
      ];
      for (const [body, message] of cases) {
        const answer = await postJson(`${server.url}api/progress/import`, body);
        assert.equal(answer.status, 400, `refused: ${String(message)}`);
        assert.match(String(answer.json.error), message);
      }
      const huge = await fetch(`${server.url}api/progress/import`, {
        method: "POST",
        body: "x".repeat(17 * 1024 * 1024),
      });
      assert.equal(huge.status, 413);
      assert.match((await huge.json()).error, /larger than the limit of 16 MiB/);

      const form = new FormData();
      form.append("file", new File(['{"format":"gradbook-progress","version":0}'], "old.json"));
      const upload = await fetch(`${server.url}progress/import`, { method: "POST", body: form });
      assert.equal(upload.status, 400);
      assert.match(
        await upload.text(),
        /old\.json was not imported, and nothing changed: The file has format version 0/,
      );

      const after = await (await fetch(`${server.url}api/progress/export`)).json();
      assert.deepEqual({ ...after, exportedAt: "" }, { ...before, exportedAt: "" });
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("The index page's upload form imports a file and says what it imported", async () => {
  await withRoots(2, async ([a, b]) => {
    const first = await startTestServer(a!);
    let file: string;
    try {
      await postJson(`${first.url}api/lessons/01-doubling/exercises/double-it/check`, {
        code: RIGHT,
      });
      file = await (await fetch(`${first.url}api/progress/export`)).text();
    } finally {
      await first.shutdown();
    }
    const second = await startTestServer(b!);
    try {
      const form = new FormData();
      form.append("file", new File([file], "mine.json", { type: "application/json" }));
      const upload = await fetch(`${second.url}progress/import`, {
        method: "POST",
        body: form,
        redirect: "manual",
      });
      assert.equal(upload.status, 303);
      const location = upload.headers.get("location")!;
      await upload.body?.cancel();
      const index = await (await fetch(new URL(location, second.url))).text();
      assert.match(index, /Progress imported: 1 lesson, 0 edited cells, 1 new attempt\./);
      assert.match(index, /3\/3 pts/);
    } finally {
      await second.shutdown();
    }
  });
});

Deno.test("deno task grade grades three learners' exports (correct, partial, crashing) end to end", async () => {
  await withRoots(4, async ([ada, bob, cy, out]) => {
    const answers: [string, string, string][] = [
      [ada!, "ada", RIGHT],
      [
        bob!,
        "bob",
        "function double(xs: number[]): number[] { return xs.map((x) => x + factor); }",
      ],
      [
        cy!,
        "cy",
        "const data: number[] = JSON.parse('{');\nfunction double(xs: number[]) { return xs; }",
      ],
    ];
    const exportsDir = join(out!, "exports");
    await Deno.mkdir(exportsDir);
    for (const [root, learner, code] of answers) {
      const server = await startTestServer(root);
      try {
        await postJson(`${server.url}api/lessons/01-doubling/sources`, {
          sources: { "double-it": code },
        });
        const file = await (await fetch(`${server.url}api/progress/export?learner=${learner}`))
          .text();
        await Deno.writeTextFile(join(exportsDir, `${learner}.json`), file);
      } finally {
        await server.shutdown();
      }
    }
    const printed: string[] = [];
    const code = await gradeMain(
      [
        exportsDir,
        "--lessons",
        join(ada!, "lessons"),
        "--out",
        join(out!, "book"),
        "--timeout",
        "30",
      ],
      (line) => printed.push(line),
      (line) => printed.push(line),
    );
    assert.equal(code, 0, printed.join("\n"));
    const rows = JSON.parse(
      await Deno.readTextFile(join(out!, "book", "gradebook.json")),
    ) as GradebookRow[];
    assert.deepEqual(rows.map((r) => [r.learner, r.status, r.points, r.maxPoints]), [
      ["ada", "graded", 3, 3],
      ["bob", "graded", 1, 3],
      ["cy", "crash", 0, 3],
    ]);
    assert.deepEqual(rows[1]!.checks.map((c) => [c.name, c.passed]), [
      ["double([1, 2]) is [2, 4]", false],
      ["double([2]) is [4]", true],
      ["double() keeps the sign of negative numbers", false],
    ]);
    assert.match(rows[1]!.checks[0]!.message, /multiply, do not add/);
    assert.match(rows[2]!.message, /^Your code threw SyntaxError \(line 1\) while your code ran/);
    const html = await Deno.readTextFile(join(out!, "book", "gradebook.html"));
    assert.match(html, /<code>double-it<\/code>/);
    assert.match(
      html,
      // ada passed every check, bob failed this one, cy crashed before any check ran.
      /double\(\) keeps the sign of negative numbers <span class="muted">\(1 of 2\)/,
    );
    assert.doesNotMatch(html, /<script/i);
    const csv = await Deno.readTextFile(join(out!, "book", "gradebook.csv"));
    assert.equal(
      csv.split("\n")[2],
      "bob,01-doubling,double-it,graded,1,3,no,no,1,3," +
        '"double([1, 2]) is [2, 4]; double() keeps the sign of negative numbers"',
    );
  });
});
