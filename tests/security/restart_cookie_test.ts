/**
 * Sessions survive a server restart (issue 22, item 2): the login cookie is derived from a secret
 * kept in the data folder (mode 0600, like Jupyter's cookie secret), so a new server with the
 * same data folder and a new token still admits an open tab's cookie.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SocketClient, startCourseServer, withTempDir, writeCourse } from "./support.ts";

const FIRST_TOKEN = "0123456789abcdef0123456789abcdef";
const SECOND_TOKEN = "fedcba9876543210fedcba9876543210";

async function login(url: string, token: string): Promise<string> {
  const response = await fetch(`${url}lessons/01-a?token=${token}`, { redirect: "manual" });
  assert.equal(response.status, 303);
  await response.body?.cancel();
  return (response.headers.get("set-cookie") ?? "").split(";")[0]!;
}

Deno.test("A restarted server with the same data folder still admits the cookie of an open tab", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const first = await startCourseServer(root, { security: { token: FIRST_TOKEN } });
    const port = first.port;
    const cookie = await login(first.url, FIRST_TOKEN);
    assert.ok(!cookie.includes(FIRST_TOKEN), "the cookie is not the token");
    await first.shutdown();

    const secret = await Deno.stat(join(root, "data", "cookie_secret"));
    assert.equal(secret.mode! & 0o777, 0o600, "the secret is readable by its owner only");

    const second = await startCourseServer(root, { port, security: { token: SECOND_TOKEN } });
    try {
      assert.equal(second.port, port);
      assert.equal(second.openUrl, `${second.url}?token=${SECOND_TOKEN}`, "a new token");
      const page = await fetch(`${second.url}lessons/01-a`, { headers: { cookie } });
      assert.equal(page.status, 200, "the old tab's cookie still works");
      await page.body?.cancel();
      const socket = new SocketClient(`${second.url.replace("http", "ws")}ws/lessons/01-a`, {
        cookie,
      });
      assert.equal(await socket.opened, true, "and so does its socket");
      socket.socket.close();
      await socket.closed;
      const forged = await fetch(`${second.url}lessons/01-a`, {
        headers: { cookie: cookie.replace(/=.*/, `=${"0".repeat(64)}`) },
      });
      assert.equal(forged.status, 403, "a made-up cookie is refused");
      await forged.body?.cancel();
      const stale = await fetch(`${second.url}api/lessons`, {
        headers: { authorization: `token ${FIRST_TOKEN}` },
      });
      assert.equal(stale.status, 403, "the old token itself is no longer accepted");
      await stale.body?.cancel();
    } finally {
      await second.shutdown();
    }
  });
});
