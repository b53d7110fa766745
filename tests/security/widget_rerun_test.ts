/**
 * Widget and rerun messages from a page are bounded and validated (issue #27, finding 5): a
 * widget value for a cell the lesson does not have is refused, one cell keeps at most 100
 * widget values, and a rerun cannot queue more cells than the documented 200.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  EchoKernel,
  SocketClient,
  startCourseServer,
  withTempDir,
  writeCourse,
} from "./support.ts";

Deno.test("widget messages for unknown cells or beyond 100 keys per cell are not stored", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root);
    const socket = new SocketClient(`${server.url.replace("http", "ws")}ws/lessons/01-a`);
    try {
      assert.equal(await socket.opened, true);
      socket.send({ type: "widget", cellId: "no-such-cell", key: "k", value: 1 });
      for (let i = 0; i < 150; i++) {
        socket.send({ type: "widget", cellId: "c1", key: `k${i}`, value: i });
      }
      socket.send({ type: "widget", cellId: "c1", key: "k0", value: 42 }); // an existing key
      socket.send({ type: "interrupt" });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const file = await (await fetch(`${server.url}api/progress/export`)).json();
      const widgets = file.lessons["01-a"]?.widgets ?? {};
      assert.equal(widgets["no-such-cell"], undefined, "a widget of an unknown cell was stored");
      assert.ok(
        Object.keys(widgets.c1 ?? {}).length <= 100,
        `${Object.keys(widgets.c1).length} keys`,
      );
      assert.equal(widgets.c1?.k0, 42, "an existing key still updates");
    } finally {
      await socket.close();
      await server.shutdown();
    }
  });
});

Deno.test("a rerun queues at most 200 cells", async () => {
  await withTempDir(async (root) => {
    await writeCourse(root, 1);
    const server = await startCourseServer(root, { createKernel: () => new EchoKernel(5) });
    const socket = new SocketClient(`${server.url.replace("http", "ws")}ws/lessons/01-a`);
    try {
      assert.equal(await socket.opened, true);
      const runs = Array.from(
        { length: 450 },
        (_, i) => ({ runId: `r${i}`, cellId: "c1", code: "1" }),
      );
      socket.send({ type: "rerun", runs });
      await socket.waitFor(
        (m) => m.type === "done" && (m as { runId: string }).runId === "r449",
        30_000,
      );
      const queued = socket.messages.filter((m) => m.type === "queued").length;
      assert.ok(queued <= 201, `${queued} cells were queued by one rerun`);
    } finally {
      await socket.close();
      await server.shutdown();
    }
  });
});
