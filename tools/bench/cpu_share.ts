/**
 * How much of the machine's CPU other jobs took while the bench ran: the CPU time Linux counted
 * busy on every core (`/proc/stat`) less the bench's own (its process and every child it has
 * waited for, Chromium, kernels and PyTorch among them: `/proc/self/stat`). The load average
 * cannot tell the two apart: the bench's browser, kernel and threads sections push it past the
 * core count by themselves.
 *
 * @module
 */

/** CPU time counters at one moment, in clock ticks. */
export interface CpuSnapshot {
  /** Busy time of all cores together. */
  busyTicks: number;
  /** Busy and idle time of all cores together. */
  totalTicks: number;
  /** This process's CPU time and that of the children it has waited for. */
  ownTicks: number;
}

/**
 * Reads the counters from the texts of `/proc/stat` and `/proc/self/stat`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCpuSnapshot } from "./cpu_share.ts";
 * const snapshot = parseCpuSnapshot(
 *   "cpu  100 0 50 800 10 5 5 0 0 0\ncpu0 50 0 25 400 5 2 3 0 0 0\n",
 *   "42 (deno main) S 1 42 42 0 -1 0 0 0 0 0 30 10 40 20 20 0 1 0 0 0 0",
 * );
 * assert.deepEqual(snapshot, { busyTicks: 160, totalTicks: 970, ownTicks: 100 });
 * ```
 */
export function parseCpuSnapshot(procStat: string, selfStat: string): CpuSnapshot {
  const cpu = procStat.split("\n").find((line) => line.startsWith("cpu "));
  if (cpu === undefined) throw new Error("no aggregate cpu line in /proc/stat");
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu.trim().split(/\s+/).slice(1)
    .map(Number);
  const busyTicks = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
  // The command name may hold spaces and parentheses: the fields start after its last ')'.
  const fields = selfStat.slice(selfStat.lastIndexOf(")") + 2).split(" ").map(Number);
  // utime, stime, cutime, cstime: fields 14-17 of proc(5), here from field 3 on.
  const ownTicks = fields[11]! + fields[12]! + fields[13]! + fields[14]!;
  return { busyTicks, totalTicks: busyTicks + idle! + iowait!, ownTicks };
}

/** The counters now, or null where `/proc` cannot be read (not Linux). */
export function cpuSnapshot(): CpuSnapshot | null {
  try {
    return parseCpuSnapshot(
      Deno.readTextFileSync("/proc/stat"),
      Deno.readTextFileSync("/proc/self/stat"),
    );
  } catch {
    return null;
  }
}

/**
 * The share of the machine's CPU time (all cores, 0 to 1) that other jobs used between two
 * snapshots.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { othersCpuShare } from "./cpu_share.ts";
 * const before = { busyTicks: 0, totalTicks: 0, ownTicks: 0 };
 * // 2 cores for 10 s (2000 ticks): the bench used 900, other jobs 300.
 * assert.equal(othersCpuShare(before, { busyTicks: 1200, totalTicks: 2000, ownTicks: 900 }), 0.15);
 * ```
 */
export function othersCpuShare(before: CpuSnapshot, after: CpuSnapshot): number {
  const total = after.totalTicks - before.totalTicks;
  if (total <= 0) return 0;
  const others = (after.busyTicks - before.busyTicks) - (after.ownTicks - before.ownTicks);
  return Math.min(1, Math.max(0, others / total));
}
