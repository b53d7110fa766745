import { assertEquals } from "../../runtime/testing/assert.ts";
import type { ScratchCell } from "../../notebook/course/scratch_cells.ts";
import { Autosave, type SaveStatus } from "./autosave.ts";

// The client runs in a page; here a stand-in for what `appPath` reads.
(globalThis as { document?: unknown }).document ??= { documentElement: { dataset: {} } };

const cell = (id: string): ScratchCell => ({ id, source: "", anchor: null, place: "after" });

Deno.test("Autosave sends one save at a time, so an older scratch list never arrives last", async () => {
  const arrived: string[] = [];
  const calls: (() => void)[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (_url, init) => {
    const ids = JSON.parse(String(init?.body)).cells.map((c: ScratchCell) => c.id).join(",");
    // The first request hangs until released, as one queued behind other requests does.
    return new Promise((resolve) => {
      const done = () => {
        arrived.push(ids);
        resolve(new Response("{}"));
      };
      if (calls.length === 0) calls.push(done);
      else done();
    });
  };
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 400 && !condition(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  try {
    let list = [cell("scratch-a")];
    const statuses: SaveStatus[] = [];
    const autosave = new Autosave("lesson", () => list);
    autosave.onStatus = (status) => statuses.push(status);
    autosave.scratchChanged(true);
    await until(() => calls.length === 1);
    list = [cell("scratch-a"), cell("scratch-b")];
    autosave.scratchChanged(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    calls[0]!();
    await until(() => arrived.length === 2);
    await autosave.flush();
    assertEquals(arrived, ["scratch-a", "scratch-a,scratch-b"]);
    assertEquals(statuses.at(-1), "saved");
  } finally {
    globalThis.fetch = realFetch;
  }
});

Deno.test("Autosave keeps a failed scratch save and says so", async () => {
  const realFetch = globalThis.fetch;
  globalThis.fetch = () => Promise.resolve(new Response("{}", { status: 500 }));
  try {
    const statuses: SaveStatus[] = [];
    const autosave = new Autosave("lesson", () => [cell("scratch-a")]);
    autosave.onStatus = (status) => statuses.push(status);
    autosave.scratchChanged();
    await autosave.flush();
    assertEquals(statuses.at(-1), "failed");
    let sent = 0;
    globalThis.fetch = () => {
      sent++;
      return Promise.resolve(new Response("{}"));
    };
    await autosave.flush();
    assertEquals([sent, statuses.at(-1)], [1, "saved"], "the retry sends the list again");
  } finally {
    globalThis.fetch = realFetch;
  }
});
