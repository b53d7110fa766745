import { deepEqual, equal, throws } from "node:assert/strict";
import {
  answerFor,
  type ExportedAttempt,
  gradebookCsv,
  parseProgressExport,
  parseSubmission,
  type ProgressExport,
} from "./gradebook.ts";

const attempt = (source: string, createdAt: number): ExportedAttempt => ({
  createdAt,
  source,
  status: "graded",
  score: 1,
  maxScore: 2,
  checks: [{ name: "ok", passed: true, points: 1, earned: 1, visible: true, message: "" }],
  message: "1 of 2 checks passed",
});

function sample(): ProgressExport {
  return {
    format: "gradbook-progress",
    version: 1,
    exportedAt: "2026-11-25T10:00:00.000Z",
    learner: "ada",
    lessons: {
      "00-tour": {
        sources: { "ex-a": "edited a", c1: "1 + 1" },
        cellsDone: ["c1"],
        exercises: {
          "ex-a": { hintsUnlocked: 1, solutionRevealedAt: null, attempts: [attempt("try a", 1)] },
          "ex-b": {
            hintsUnlocked: 0,
            solutionRevealedAt: 5,
            attempts: [attempt("newer b", 2), attempt("older b", 1)],
          },
        },
      },
    },
  };
}

Deno.test("parseProgressExport() reads a valid export and answerFor() prefers the edit, then the newest attempt", () => {
  const file = parseProgressExport(JSON.stringify(sample()));
  deepEqual(file, sample());
  equal(answerFor(file, "00-tour", "ex-a"), "edited a");
  equal(answerFor(file, "00-tour", "ex-b"), "newer b");
  equal(answerFor(file, "00-tour", "ex-c"), undefined);
  equal(answerFor(file, "01-other", "ex-a"), undefined);
});

Deno.test("parseProgressExport() refuses a bad file with the path of the first problem", () => {
  const bad = (change: (file: Record<string, unknown>) => void, message: RegExp) => {
    const file = sample() as unknown as Record<string, unknown>;
    change(file);
    throws(() => parseProgressExport(JSON.stringify(file)), message);
  };
  throws(() => parseProgressExport("{oops"), /^ProgressFileError: The file is not valid JSON/);
  throws(() => parseProgressExport("[1]"), /not a gradbook progress export/);
  bad((f) => f.format = "nbgrader", /its "format" is "nbgrader", expected "gradbook-progress"/);
  bad((f) => f.version = 2, /format version 2; this gradbook reads version 1/);
  bad((f) => f.extra = 1, /The file has the unknown key "extra"/);
  bad((f) => f.exportedAt = "yesterday", /exportedAt must be an ISO 8601 time/);
  const lesson = (f: Record<string, unknown>) =>
    (f.lessons as Record<string, Record<string, unknown>>)["00-tour"]!;
  bad(
    (f) => lesson(f).sources = { c1: 7 },
    /lessons\["00-tour"\]\.sources\["c1"\] must be a string, got 7/,
  );
  bad(
    (f) => lesson(f).sources = { c1: "x".repeat(300_000) },
    /is 300000 characters long, more than the limit of 262144/,
  );
  bad((f) => lesson(f).cellsDone = "c1", /cellsDone must be an array, got "c1"/);
  bad(
    (f) =>
      (lesson(f).exercises as Record<string, { attempts: unknown[] }>)["ex-b"]!.attempts[0] = {
        ...attempt("x", 1),
        score: 3,
      },
    /attempts\[0\]\.score must be a number from 0 to 2, got 3/,
  );
  bad(
    (f) =>
      (lesson(f).exercises as Record<string, { attempts: unknown[] }>)["ex-b"]!.attempts[0] = {
        ...attempt("x", 1),
        status: "passed",
      },
    /status must be one of graded, syntax-error/,
  );
  bad(
    (f) => lesson(f).widgets = { c1: { "slider:lr": { value: 1 } } },
    /widgets\["c1"\]\["slider:lr"\] must be a finite number, a string or true\/false/,
  );
  bad((f) => lesson(f).widgets = { c1: [] }, /widgets\["c1"\] must be an object/);
  bad(
    (f) => (f.lessons as Record<string, unknown>)["../etc"] = {},
    /which is not a lesson, cell or exercise id/,
  );
});

Deno.test("parseProgressExport() reads widget values, and files without them", () => {
  const file = sample() as unknown as { lessons: Record<string, Record<string, unknown>> };
  equal(parseProgressExport(JSON.stringify(file)).lessons["00-tour"]!.widgets, undefined);
  file.lessons["00-tour"]!.widgets = { c1: { "slider:learning rate": 0.5, "select:opt": "adam" } };
  deepEqual(parseProgressExport(JSON.stringify(file)).lessons["00-tour"]!.widgets, {
    c1: { "slider:learning rate": 0.5, "select:opt": "adam" },
  });
});

Deno.test("parseProgressExport() refuses __proto__ and constructor keys anywhere", () => {
  const text = JSON.stringify(sample());
  const polluted = text.replace('"sources":{', '"sources":{"__proto__":{"polluted":true},');
  throws(() => parseProgressExport(polluted), /sources has the forbidden key "__proto__"/);
  const top = text.replace('"lessons":{', '"lessons":{"constructor":{},');
  throws(() => parseProgressExport(top), /lessons has the forbidden key "constructor"/);
  equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("parseSubmission() names the file in errors and falls back to the file name as learner", () => {
  const { learner: _, ...anonymous } = sample();
  equal(parseSubmission(JSON.stringify(anonymous), "in/bob.json").learner, "bob");
  equal(parseSubmission(JSON.stringify(sample()), "in/x.json").learner, "ada");
  throws(
    () => parseSubmission('{"name": 1}', "x.json"),
    /^ProgressFileError: x\.json: The file is not/,
  );
});

Deno.test("gradebookCsv() writes one quoted row per learner and exercise", () => {
  const csv = gradebookCsv([{
    learner: "Lovelace, Ada",
    lesson: "00-tour",
    exercise: "ex-a",
    status: "graded",
    points: 1,
    maxPoints: 2,
    solutionRevealed: true,
    capped: true,
    checks: [
      { name: "ok", passed: true, points: 1, earned: 1, visible: true, message: "" },
      { name: 'the "sign"', passed: false, points: 1, earned: 0, visible: false, message: "m" },
    ],
    message: "",
  }]);
  equal(
    csv,
    "learner,lesson,exercise,status,points,max_points,solution_revealed,capped,checks_passed," +
      "checks_total,failed_checks\n" +
      '"Lovelace, Ada",00-tour,ex-a,graded,1,2,yes,yes,1,2,"the ""sign"""\n',
  );
});
