/**
 * Reads a child Deno process's live JavaScript heap through the V8 inspector: the process is
 * started with `--inspect=127.0.0.1:PORT`; {@link connectHeapProbe} forces a full garbage
 * collection and reports what survived. Unlike resident memory, which V8 and the allocator give
 * back to the system only when they choose, the live heap after a collection is a load-independent
 * measure of what a program still holds, so a leak shows up as growth here.
 *
 * @module
 */

/** A free loopback port for `--inspect=127.0.0.1:PORT`. */
export function freeLoopbackPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A connection to one process's inspector. */
export interface HeapProbe {
  /** Collects garbage, then returns the live heap in MiB. */
  liveHeapMiB(): Promise<number>;
  close(): void;
}

/** Connects to the inspector listening on `port`, waiting up to `timeoutMs` for it to appear. */
export async function connectHeapProbe(port: number, timeoutMs = 30_000): Promise<HeapProbe> {
  const deadline = performance.now() + timeoutMs;
  let target: string | undefined;
  while (target === undefined) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      target = list[0]?.webSocketDebuggerUrl;
    } catch (error) {
      if (performance.now() > deadline) {
        throw new Error(`No inspector answered on port ${port}: ${error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`The inspector socket ${target} failed`));
  });
  let lastId = 0;
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    if (typeof message.id === "number") pending.get(message.id)?.(message.result ?? {});
  };
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = ++lastId;
      pending.set(id, (result) => {
        pending.delete(id);
        resolve(result);
      });
      socket.send(JSON.stringify({ id, method, params: {} }));
    });
  return {
    async liveHeapMiB() {
      await call("HeapProfiler.collectGarbage");
      const usage = await call("Runtime.getHeapUsage");
      return Number(usage.usedSize) / 2 ** 20;
    },
    close: () => socket.close(),
  };
}
