/**
 * One attacker process for `front_door_flood.ts`: opens connections to a port and never finishes
 * a request on them, holding as many as it can. Several run at once, since one process may hold
 * at most its open-file limit.
 *
 * Run: `deno run --allow-net tests/load/flood_client.ts PORT COUNT MODE`, MODE being `silent`
 * (connect, send nothing), `slow` (half a request head, then a byte every 2 s: slowloris) or
 * `churn` (silent, and every connection the server closes is opened again). Prints one JSON line
 * a second (`{ "connected", "failed", "closedByServer", "open" }`) and `READY` once every
 * connection was tried (a connect not made within 3 s counts as failed); ends on SIGTERM or when
 * stdin closes.
 *
 * @module
 */
const [portText, countText, mode = "silent"] = Deno.args;
const port = Number(portText);
const count = Number(countText);
if (
  !Number.isInteger(port) || !Number.isInteger(count) || !["silent", "slow", "churn"].includes(mode)
) {
  console.error("usage: flood_client.ts PORT COUNT silent|slow|churn");
  Deno.exit(2);
}

const PARTIAL = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
const DRIP = new TextEncoder().encode("a");
/** Connects in flight at once. */
const PARALLEL = 64;

const stats = { connected: 0, failed: 0, closedByServer: 0, open: 0 };
const open = new Set<Deno.Conn>();
let stopping = false;
// Never read: a pending read only notices the server closing the connection.
const sink = new Uint8Array(64);

async function watch(conn: Deno.Conn): Promise<void> {
  try {
    while ((await conn.read(sink)) !== null) { /* the server answered: keep holding */ }
  } catch {
    // reset by the server
  }
  if (!open.delete(conn)) return;
  stats.closedByServer++;
  stats.open = open.size;
  try {
    conn.close();
  } catch {
    // already closed
  }
  if (mode === "churn" && !stopping) void connectOne();
}

/**
 * How long a connect may take before it counts as failed. A server whose accept queue is full
 * drops new SYNs, and the kernel retries them for about two minutes before `connect` fails: the
 * churn phase's first connects never all returned, so its `READY` never came.
 */
const CONNECT_TIMEOUT_MS = 3000;

async function connectOne(): Promise<void> {
  let conn: Deno.Conn;
  const connecting = Deno.connect({ hostname: "127.0.0.1", port });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), CONNECT_TIMEOUT_MS);
  });
  try {
    const won = await Promise.race([connecting, timedOut]);
    if (won === null) {
      // Given up on: closed if it ever connects.
      connecting.then((late) => late.close(), () => {});
      stats.failed++;
      return;
    }
    conn = won;
  } catch {
    stats.failed++;
    return;
  } finally {
    clearTimeout(timer);
  }
  stats.connected++;
  open.add(conn);
  stats.open = open.size;
  if (mode === "slow") await conn.write(PARTIAL).catch(() => 0);
  void watch(conn);
}

const report = setInterval(() => console.log(JSON.stringify(stats)), 1000);
const drip = mode === "slow"
  ? setInterval(() => {
    for (const conn of open) conn.write(DRIP).catch(() => 0);
  }, 2000)
  : undefined;

function stop(): void {
  stopping = true;
  clearInterval(report);
  if (drip !== undefined) clearInterval(drip);
  for (const conn of open) {
    try {
      conn.close();
    } catch {
      // already closed
    }
  }
  console.log(JSON.stringify(stats));
  Deno.exit(0);
}
Deno.addSignalListener("SIGTERM", stop);
(async () => {
  for await (const _ of Deno.stdin.readable) { /* wait for the parent to close stdin */ }
  stop();
})();

let next = 0;
await Promise.all(Array.from({ length: PARALLEL }, async () => {
  while (next < count) {
    next++;
    await connectOne();
  }
}));
console.log(JSON.stringify(stats));
console.log("READY");
