import assert from "node:assert/strict";

// `deno bundle` builds the client without checking its types, and `deno test` checks only the
// modules its tests import: the controller and the entry had none, and a type error in them
// went unnoticed.
Deno.test("the browser client type-checks", async () => {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", "web/client/main.tsx"],
    cwd: new URL("../../", import.meta.url),
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
});
