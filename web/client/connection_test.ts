import assert from "node:assert/strict";
import type { ServerMessage } from "../messages.ts";
import { Connection } from "./connection.ts";

/** A WebSocket server that records what it receives and greets each socket once it opens. */
function echoServer() {
  const received: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.onopen = () => socket.send(JSON.stringify({ type: "kernel", state: "idle" }));
    socket.onmessage = (event) => received.push(String(event.data));
    return response;
  });
  return { url: `ws://127.0.0.1:${server.addr.port}/`, received, server };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

Deno.test("a message sent while the socket is still opening is sent once it opens", async () => {
  const { url, received, server } = echoServer();
  const connection = new Connection(url);
  try {
    // A Run pressed the moment the page mounts: the socket is not open yet.
    assert.equal(connection.isOpen, false);
    const execute = { type: "execute", runId: "r1", cellId: "c1", code: "1+1" } as const;
    assert.equal(connection.send(execute), true, "the message is taken, not refused");
    await until(() => received.length === 1);
    assert.deepEqual(JSON.parse(received[0]!), execute);
  } finally {
    connection.close();
    await server.shutdown();
  }
});

Deno.test("what arrives before the notebook listens is handed over when it does", async () => {
  const { url, server } = echoServer();
  // Opened by the page's script before the notebook mounts (main.tsx).
  const connection = new Connection(url);
  try {
    await until(() => connection.isOpen);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the greeting arrives
    const messages: ServerMessage[] = [];
    const states: boolean[] = [];
    connection.listen((message) => messages.push(message), (open) => states.push(open));
    assert.deepEqual(states, [true], "the listener learns the socket is open");
    assert.deepEqual(messages, [{ type: "kernel", state: "idle" }]);
  } finally {
    connection.close();
    await server.shutdown();
  }
});
