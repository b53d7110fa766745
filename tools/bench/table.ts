/**
 * Formats bench rows as the plain-text table that `deno task bench` prints.
 *
 * @module
 */
import { type BenchRow, type Peer, PEERS } from "./section.ts";

/**
 * `ours / peer` for a row, or `null` when either figure is missing or the row is an exponent.
 *
 * @example
 * ```ts
 * import { ratio } from "./table.ts";
 * const r = ratio({ workload: "w", unit: "ms", kind: "time", ours: 2, peers: { "tfjs-cpu": 8 } }, "tfjs-cpu");
 * if (r !== 0.25) throw new Error(`ratio ${r}`);
 * ```
 */
export function ratio(row: BenchRow, peer: Peer): number | null {
  const theirs = row.peers[peer];
  if (row.kind === "exponent" || row.ours === null || theirs === null || theirs === undefined) {
    return null;
  }
  if (!(theirs > 0)) return null;
  return row.ours / theirs;
}

/**
 * A number with about three significant digits: `1234` → "1234", `12.34` → "12.3",
 * `1.234` → "1.23", `0.01234` → "0.0123".
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1 || magnitude === 0) return value.toFixed(2);
  return value.toPrecision(3);
}

function formatFigure(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return "n/a";
  return unit === "" ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
}

function formatRatio(row: BenchRow, peer: Peer): string {
  if (row.kind === "exponent") return "-";
  const r = ratio(row, peer);
  return r === null ? "n/a" : `${formatNumber(r)} (${row.kind})`;
}

/**
 * The table: one line per row with our figure, each peer's figure and the ratio ours/peer,
 * followed by a legend saying which way each kind of ratio reads.
 *
 * @example
 * ```ts
 * import { formatTable } from "./table.ts";
 * console.log(formatTable([
 *   { workload: "matmul 256x256 f32", unit: "GFLOP/s", kind: "throughput", ours: 7.1, peers: { "tfjs-cpu": 0.8 } },
 * ]));
 * ```
 */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ["workload", "ours", ...PEERS, ...PEERS.map((p) => `ratio ours/${p}`)];
  const body = rows.map((row) => [
    row.workload,
    formatFigure(row.ours, row.unit),
    ...PEERS.map((p) => formatFigure(row.peers[p], row.unit)),
    ...PEERS.map((p) => formatRatio(row, p)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ").trimEnd();
  return [
    line(header),
    widths.map((w) => "-".repeat(w)).join("-|-"),
    ...body.map(line),
    "",
    "ratio ours/peer: (time) rows are ms, so < 1 means ours is faster; " +
    "(throughput) rows are GFLOP/s, so > 1 means ours is faster.",
  ].join("\n");
}
