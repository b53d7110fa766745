/**
 * Issue #26: a cell that ignores an interrupt is ended by restarting its worker. Deno 2.9's
 * `Worker.terminate()` does not stop a worker spinning in synchronous code, so each such restart
 * left a thread running at full speed and its heap resident (about 30 MiB a time with an empty
 * notebook, more with a lesson's tensors). These tests hold the kernel to a bounded footprint.
 */
import assert from "node:assert/strict";
import { KernelProcess } from "./kernel_process.ts";

/** Resident memory (MiB) and thread count of process `pid`, from /proc. */
function processUsage(pid: number): { residentMiB: number; threads: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return {
    residentMiB: Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1]) / 1024,
    threads: Number(status.match(/^Threads:\s+(\d+)/m)?.[1]),
  };
}

/** CPU time (s) process `pid` has used, from /proc (utime + stime). */
function cpuSeconds(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs a cell that holds some memory and spins, then interrupts it until it is terminated. */
async function spinAndInterrupt(kernel: KernelProcess): Promise<string> {
  const spinning = Promise.withResolvers<void>();
  const reply = kernel.execute(
    "spin",
    `const held = new Float64Array(1 << 21).fill(1);\nconsole.log("spinning");\nwhile (true) {}`,
    (event) => {
      if (event.type === "stream") spinning.resolve();
    },
  );
  await spinning.promise;
  const outcome = await kernel.interrupt();
  assert.equal((await reply).status, "interrupted");
  return outcome;
}

Deno.test({
  name: "ten interrupt restarts leave the kernel's memory and threads where one left them",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const kernel = new KernelProcess({ interruptGraceMs: 100 });
    await kernel.start();
    try {
      assert.equal(await spinAndInterrupt(kernel), "terminated");
      const ranAfter = await kernel.execute("c", "1 + 1", () => {});
      assert.equal(ranAfter.status, "ok");
      const first = processUsage(kernel.pid!);
      const pids = new Set<number>([kernel.pid!]);
      for (let i = 0; i < 10; i++) {
        assert.equal(await spinAndInterrupt(kernel), "terminated");
        assert.equal((await kernel.execute("c", "1 + 1", () => {})).status, "ok");
        pids.add(kernel.pid!);
      }
      const last = processUsage(kernel.pid!);
      // NOTE: a leak of a worker per restart adds ~30 MiB and 1-2 threads each time (300 MiB
      // and 10+ threads over ten); 64 MiB leaves room for the allocator's own variation.
      assert.ok(
        last.residentMiB - first.residentMiB < 64,
        `resident memory grew from ${first.residentMiB.toFixed(0)} to ` +
          `${last.residentMiB.toFixed(0)} MiB over ten interrupt restarts`,
      );
      assert.ok(
        last.threads <= first.threads + 2,
        `threads grew from ${first.threads} to ${last.threads} over ten interrupt restarts`,
      );
      // Nothing of an ended cell keeps computing: an idle kernel uses (almost) no CPU.
      const pid = kernel.pid!;
      const before = cpuSeconds(pid);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const used = cpuSeconds(pid) - before;
      assert.ok(used < 0.5, `an idle kernel used ${used.toFixed(2)} s of CPU in 1 s`);
      for (const old of pids) {
        if (old !== pid) assert.equal(existsProcess(old), false, `kernel ${old} still runs`);
      }
    } finally {
      await kernel.shutdown();
    }
  },
});

function existsProcess(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}
