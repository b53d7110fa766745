import assert from "node:assert/strict";
import type { Kernel } from "../../notebook/kernel/kernel.ts";
import { KernelSpares } from "./kernel_spares.ts";
import { join } from "node:path";
import { startServer } from "./app.ts";
import { EXERCISE_LESSON, IdleKernel, writeLessons } from "./test_support.ts";

/** A kernel that counts its starts and stops, and whose start can be made to fail. */
class CountingKernel extends IdleKernel {
  starts = 0;
  stops = 0;
  constructor(private readonly fails = false) {
    super();
  }
  override start() {
    this.starts++;
    return this.fails ? Promise.reject(new Error("no kernel here")) : Promise.resolve();
  }
  override shutdown() {
    this.stops++;
    return Promise.resolve();
  }
}

Deno.test("a spare kernel is started at once, taken, and replaced after the refill delay (or at ready())", async () => {
  const made: CountingKernel[] = [];
  const spares = new KernelSpares(
    () => {
      const kernel = new CountingKernel();
      made.push(kernel);
      return kernel;
    },
    1,
    20,
  );
  try {
    assert.equal(made.length, 1);
    assert.equal(made[0]!.starts, 1, "started before anyone asked");
    const taken = spares.take();
    assert.equal(taken, made[0]);
    assert.equal(spares.waiting, 0, "not refilled at once: the page's first cells get the cores");
    await spares.ready();
    assert.equal(made.length, 2);
    assert.equal(spares.waiting, 1);
    assert.ok(made[1]!.starts >= 1, "the replacement was started");
  } finally {
    await spares.close();
  }
  assert.equal(made[1]!.stops, 1, "close stops the spare nobody took");
  assert.equal(made[0]!.stops, 0, "and leaves the taken one to its lesson");
});

Deno.test("with no spare waiting, take makes a kernel that is not started", async () => {
  const made: CountingKernel[] = [];
  const spares = new KernelSpares(() => {
    const kernel = new CountingKernel();
    made.push(kernel);
    return kernel;
  }, 0);
  const kernel = spares.take() as CountingKernel;
  assert.equal(kernel.starts, 0);
  assert.equal(made.length, 1);
  await spares.close();
});

Deno.test("a spare whose start fails is dropped, not handed out, and not retried in a loop", async () => {
  let made = 0;
  const spares = new KernelSpares(
    () => {
      made++;
      return new CountingKernel(made === 1);
    },
    1,
    10_000,
  );
  await spares.ready();
  assert.equal(spares.waiting, 0);
  assert.equal(made, 1);
  const kernel = spares.take() as CountingKernel;
  assert.equal(kernel.starts, 0, "a fresh kernel, for its session to start");
  await spares.close();
});

Deno.test("a lesson page's session takes the server's spare kernel, already started", async () => {
  const made: CountingKernel[] = [];
  const root = await Deno.makeTempDir({ prefix: "gradbook-spares-" });
  const server = await startServer({
    lessonsDir: await writeLessons(root, { "01-doubling.md": EXERCISE_LESSON }),
    dataDir: join(root, "data"),
    port: 0,
    createKernel: (): Kernel => {
      const kernel = new CountingKernel();
      made.push(kernel);
      return kernel;
    },
    spareKernels: 1,
  });
  try {
    assert.equal(made.length, 1, "the spare exists before any page opens");
    await server.sparesReady();
    const socket = new WebSocket(`${server.url.replace("http", "ws")}ws/lessons/01-doubling`);
    const greeting = await new Promise<{ type: string; state?: string }>((resolve, reject) => {
      socket.onmessage = (event) => resolve(JSON.parse(event.data));
      socket.onerror = () => reject(new Error("the socket failed"));
    });
    socket.close();
    assert.deepEqual([greeting.type, greeting.state], ["kernel", "idle"]);
    assert.equal(made.length, 1, "the page's session took the spare: no kernel was made for it");
  } finally {
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});
