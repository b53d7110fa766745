/**
 * The language service runs in a worker: while the first (cold) intelligence request loads
 * TypeScript and the runtime's types, the server still answers plain requests: many complete
 * while the cold request is under way (a blocked event loop would let one through at most). The
 * latency itself is a bench figure, not a wall-clock assertion in the suite.
 */
import assert from "node:assert/strict";
import { startTestServer } from "./test_support.ts";

/**
 * Times plain GETs of `urls`, in turn, from a worker (the probe must not share the server's
 * thread, or a blocked server would also hold back the clock of its own probe).
 */
function startProbe(urls: string[]): { stop(): Promise<number[]> } {
  const code = `
    let stopped = false;
    self.onmessage = async (event) => {
      if (event.data === "stop") { stopped = true; return; }
      const times = [];
      while (!stopped) {
        for (const url of event.data) {
          const start = performance.now();
          const during = !stopped;
          const response = await fetch(url);
          await response.text();
          if (response.status !== 200) throw new Error("GET " + url + ": " + response.status);
          if (during) times.push(performance.now() - start);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      self.postMessage(times);
    };`;
  const worker = new Worker(`data:application/javascript,${encodeURIComponent(code)}`, {
    type: "module",
  });
  const done = new Promise<number[]>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<number[]>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`The probe failed: ${event.message}`));
    };
  });
  worker.postMessage(urls);
  return {
    async stop() {
      worker.postMessage("stop");
      try {
        return await done;
      } finally {
        worker.terminate();
      }
    },
  };
}

Deno.test("The server answers other requests while the language service starts", async () => {
  const root = await Deno.makeTempDir({ prefix: "gradbook-intel-" });
  const server = await startTestServer(root);
  try {
    const { lessons } = await (await fetch(`${server.url}api/lessons`)).json() as {
      lessons: { slug: string }[];
    };
    const slug = lessons[0]!.slug;
    await (await fetch(server.url)).text(); // the index page once, before timing it

    const coldStart = performance.now();
    const cold = fetch(`${server.url}api/lessons/${slug}/intelligence/diagnostics`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        cellId: "double-it",
        // Importing the runtime makes the cold start load its types too, as lessons do.
        sources: { "double-it": 'import { nn } from "gradbook";\nconst n: number = "x";' },
      }),
    }).then(async (response) => {
      const body = await response.json();
      return { status: response.status, body, ms: performance.now() - coldStart };
    });

    const probe = startProbe([server.url, `${server.url}api/lessons`]);
    const answer = await cold;
    const probes = await probe.stop();
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.diagnostics.map((d: { code: number }) => d.code), [2322]);

    const warmStart = performance.now();
    const warm = await fetch(`${server.url}api/lessons/${slug}/intelligence/diagnostics`, {
      method: "POST",
      body: JSON.stringify({
        cellId: "double-it",
        sources: { "double-it": 'import { nn } from "gradbook";\nconst n = nn;' },
      }),
    });
    assert.deepEqual((await warm.json()).diagnostics, []);
    const warmMs = performance.now() - warmStart;

    const worst = Math.max(...probes);
    console.log(
      `cold diagnostics ${answer.ms.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms; ` +
        `${probes.length} plain requests meanwhile, slowest ${worst.toFixed(1)} ms`,
    );
    // The cold request must have overlapped several probes, or the test proves nothing.
    assert.ok(probes.length >= 4, `only ${probes.length} requests overlapped the cold one`);
  } finally {
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});
