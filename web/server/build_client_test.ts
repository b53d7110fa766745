import assert from "node:assert/strict";
import { buildClient } from "./build_client.ts";

Deno.test("buildClient() run twice at once in one process builds one usable bundle", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradbook-build-" });
  try {
    const [a, b] = await Promise.all([buildClient(dir), buildClient(dir)]);
    assert.equal(a.jsPath, b.jsPath);
    const bundle = await Deno.readTextFile(a.jsPath);
    assert.ok(bundle.length > 10_000, `bundle is only ${bundle.length} characters`);
    const leftovers = [...Deno.readDirSync(`${dir}/${a.hash}`)].map((e) => e.name);
    assert.deepEqual(leftovers, ["app.js"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
