/**
 * Hostile progress imports (`POST /api/progress/import`, `POST /progress/import`): truncated
 * files, wrong versions, huge strings, deep nesting and prototype-pollution keys are refused
 * with a clear message and change nothing.
 */
import assert from "node:assert/strict";
import { postJson, startTestServer } from "../../web/server/test_support.ts";
import { withTempDir } from "./support.ts";

Deno.test("Hostile progress files are refused, change nothing and pollute no prototype", async () => {
  await withTempDir(async (root) => {
    const server = await startTestServer(root);
    try {
      const api = `${server.url}api/lessons/01-doubling/`;
      await postJson(`${api}sources`, { sources: { c1: "factor * 10" } });
      const exported = async () => {
        const file = await (await fetch(`${server.url}api/progress/export`)).json();
        return { ...file, exportedAt: "" };
      };
      const before = await exported();
      const good = JSON.stringify(before);
      const lesson = before.lessons["01-doubling"];
      const withLesson = (changes: Record<string, unknown>) =>
        JSON.stringify({ ...before, lessons: { "01-doubling": { ...lesson, ...changes } } });
      const deep = "[".repeat(100_000) + "]".repeat(100_000);

      const cases: [string, string][] = [
        ...[0.1, 0.5, 0.9, 0.999].map((f): [string, string] => [
          `truncated at ${f}`,
          good.slice(0, Math.floor(good.length * f)),
        ]),
        ["wrong version", JSON.stringify({ ...before, version: 2 })],
        ["a version as a string", JSON.stringify({ ...before, version: "1" })],
        ["no format", JSON.stringify({ ...before, format: undefined })],
        ["a huge source", withLesson({ sources: { c1: "x".repeat(300_000) } })],
        ["a huge learner name", JSON.stringify({ ...before, learner: "n".repeat(20_000) })],
        ["__proto__ at the top", good.replace("{", '{"__proto__":{"polluted":1},')],
        [
          "__proto__ as a lesson",
          good.replace('"lessons":{', '"lessons":{"__proto__":{"polluted":1},'),
        ],
        ["constructor as a cell id", withLesson({ sources: { constructor: "x" } })],
        ["prototype as a cell id", withLesson({ sources: { prototype: "x" } })],
        ["deeply nested arrays", deep],
        ["an array", "[]"],
        ["null", "null"],
        ["empty", ""],
      ];
      for (const [name, body] of cases) {
        const answer = await postJson(`${server.url}api/progress/import`, body).catch(
          (error) => ({ status: 0, json: { error: String(error) }, text: "" }),
        );
        assert.equal(answer.status, 400, `${name}: refused (${answer.text.slice(0, 200)})`);
        assert.match(
          String(answer.json.error),
          /^The progress file was not imported: \S/,
          `${name}: says why`,
        );
        assert.deepEqual(await exported(), before, `${name}: nothing changed`);
        assert.equal(({} as Record<string, unknown>).polluted, undefined, `${name}: no pollution`);
      }
      const form = new FormData();
      form.append("file", new File([good.slice(0, good.length / 2)], "half.json"));
      const upload = await fetch(`${server.url}progress/import`, { method: "POST", body: form });
      assert.equal(upload.status, 400);
      assert.match(await upload.text(), /half\.json was not imported, and nothing changed/);
      assert.deepEqual(await exported(), before, "the upload form changed nothing");
    } finally {
      await server.shutdown();
    }
  });
});
