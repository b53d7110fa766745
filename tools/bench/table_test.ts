import { assertEquals, assertStringIncludes } from "../../runtime/testing/assert.ts";
import type { BenchRow } from "./section.ts";
import { formatNumber, formatTable, ratio } from "./table.ts";

const matmulRow: BenchRow = {
  workload: "matmul 256x256 f32",
  unit: "GFLOP/s",
  kind: "throughput",
  ours: 7,
  peers: { "tfjs-cpu": 1.75 },
};
const stepRow: BenchRow = {
  workload: "MLP step",
  unit: "ms",
  kind: "time",
  ours: 9,
  peers: { "tfjs-cpu": 36, "tfjs-wasm": 12 },
};

Deno.test("ratio() divides ours by the peer for time and throughput rows alike", () => {
  assertEquals(ratio(matmulRow, "tfjs-cpu"), 4);
  assertEquals(ratio(stepRow, "tfjs-cpu"), 0.25);
});

Deno.test("ratio() is null for exponents and for missing or zero figures", () => {
  assertEquals(ratio({ ...stepRow, kind: "exponent" }, "tfjs-cpu"), null);
  assertEquals(ratio({ ...stepRow, ours: null }, "tfjs-cpu"), null);
  assertEquals(ratio({ ...stepRow, peers: {} }, "tfjs-cpu"), null);
  assertEquals(ratio({ ...stepRow, peers: { "tfjs-cpu": 0 } }, "tfjs-cpu"), null);
});

Deno.test("formatNumber() keeps about three significant digits", () => {
  assertEquals(
    [1234.5, 12.345, 1.2345, 0.012345, 0].map(formatNumber),
    ["1235", "12.3", "1.23", "0.0123", "0.00"],
  );
});

Deno.test("formatTable() aligns columns and labels each ratio with its kind", () => {
  const exponentRow: BenchRow = {
    workload: "growth",
    unit: "",
    kind: "exponent",
    ours: 1.02,
    peers: { "tfjs-cpu": 1.1 },
  };
  const failedRow: BenchRow = { workload: "kernel", unit: "", kind: "time", ours: null, peers: {} };
  const lines = formatTable([matmulRow, stepRow, exponentRow, failedRow]).split("\n");
  assertEquals(lines.slice(0, 6), [
    "workload           | ours         | tfjs-cpu     | tfjs-wasm | torch | ratio ours/tfjs-cpu | ratio ours/tfjs-wasm | ratio ours/torch",
    "-------------------|--------------|--------------|-----------|-------|---------------------|----------------------|-----------------",
    "matmul 256x256 f32 | 7.00 GFLOP/s | 1.75 GFLOP/s | n/a       | n/a   | 4.00 (throughput)   | n/a                  | n/a",
    "MLP step           | 9.00 ms      | 36.0 ms      | 12.0 ms   | n/a   | 0.250 (time)        | 0.750 (time)         | n/a",
    "growth             | 1.02         | 1.10         | n/a       | n/a   | -                   | -                    | -",
    "kernel             | n/a          | n/a          | n/a       | n/a   | n/a                 | n/a                  | n/a",
  ]);
  assertStringIncludes(lines.at(-1)!, "< 1 means ours is faster");
  assertStringIncludes(lines.at(-1)!, "> 1 means ours is faster");
});
