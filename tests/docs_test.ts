import { assertEquals } from "../runtime/testing/assert.ts";

Deno.test("every public symbol of the runtime has JSDoc (deno doc --lint runtime/mod.ts)", async () => {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--lint", "runtime/mod.ts"],
    cwd: new URL("..", import.meta.url),
    env: { NO_COLOR: "1" },
  }).output();
  const report = new TextDecoder().decode(stderr);
  const problems = report.split("\n").filter((line) => /error\[|-->/.test(line)).join("\n");
  assertEquals(code, 0, `deno doc --lint found problems:\n${problems}`);
});
