import assert from "node:assert/strict";
import { generateToken, isLoopback, pathProblem, securityWarnings } from "./security.ts";

Deno.test("generateToken() gives 48 random hex digits each time", () => {
  const tokens = new Set(Array.from({ length: 50 }, generateToken));
  assert.equal(tokens.size, 50);
  for (const token of tokens) assert.match(token, /^[0-9a-f]{48}$/);
});

Deno.test("pathProblem() refuses dot segments however they are encoded, and backslashes", () => {
  for (
    const path of [
      "/lessons/../../etc/passwd",
      "/lessons/%2e%2e/%2e%2e/etc/passwd",
      "/lessons/%2E%2E%2Fetc%2Fpasswd",
      "/lessons/%252e%252e%252fetc",
      "/lessons/%25252e%25252e/x",
      "/lessons/..%5c..%5cetc",
      "/lessons/..\\..\\etc",
      "/assets/katex/fonts/..%2F..%2Fpackage.json",
      "/lessons/./x",
      "/lessons/a%00b",
      "/lessons/%E0%A4%A",
    ]
  ) {
    assert.notEqual(pathProblem(path), null, `${path} is refused`);
  }
  for (
    const path of ["/", "/lessons/01-intro", "/assets/app.1f2e.js", "/api/lessons/a%20b/state"]
  ) {
    assert.equal(pathProblem(path), null, `${path} is fine`);
  }
  assert.equal(pathProblem("/lessons/%E0%A4%A"), "the path has malformed percent-encoding");
});

Deno.test("securityWarnings() warns loudly about --no-token and a non-loopback --host", () => {
  assert.deepEqual(securityWarnings({ token: "t", hostname: "127.0.0.1" }), []);
  assert.match(securityWarnings({ token: null, hostname: "127.0.0.1" }).join("\n"), /--no-token/);
  const open = securityWarnings({ token: null, hostname: "0.0.0.0" }).join("\n");
  assert.match(open, /reachable from other machines/);
  assert.match(open, /ANYONE on the network/);
  assert.ok(isLoopback("localhost") && isLoopback("127.0.0.2") && !isLoopback("10.0.0.1"));
});
