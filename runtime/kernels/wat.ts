/**
 * Small builders for folded WebAssembly text, used by the kernel generators
 * (`wasm_gemm_source.ts` and the files it imports). A `name` is a local or parameter without
 * its `$`; every builder returns an expression or statements as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { add, forUp, get, i32, set } from "./wat.ts";
 * const loop = forUp("i", i32(0), get("n"), i32(1), set("sum", add(get("sum"), get("i"))));
 * assert.ok(loop.includes("(loop $i_next"));
 * ```
 *
 * @module
 */

/** `(local.get $name)`. */
export const get = (name: string): string => `(local.get $${name})`;
/** `(local.set $name value)`. */
export const set = (name: string, value: string): string => `(local.set $${name} ${value})`;
/** An i32 constant. */
export const i32 = (value: number): string => `(i32.const ${value})`;
/** i32 addition. */
export const add = (x: string, y: string): string => `(i32.add ${x} ${y})`;
/** i32 subtraction. */
export const sub = (x: string, y: string): string => `(i32.sub ${x} ${y})`;
/** i32 multiplication. */
export const mul = (x: string, y: string): string => `(i32.mul ${x} ${y})`;
/** The smaller of two signed i32 values. */
export const min = (x: string, y: string): string => `(select ${x} ${y} (i32.lt_s ${x} ${y}))`;
/**
 * `offset` bytes into this instance's scratch area (the packing buffers and edge tile): the
 * mutable global `$scratch`, which each thread of the pool sets to its own area.
 */
export const scratch = (offset: number): string => `(i32.add (global.get $scratch) ${i32(offset)})`;
/** Statements one per line. */
export const lines = (...parts: string[]): string => parts.join("\n");
/** An all-zero `v128`. */
export const ZERO = "(v128.const i32x4 0 0 0 0)";

/**
 * `for (v = start; v < end; v += step) body` as a block around a loop (signed comparison, so
 * a negative `end` runs no iteration). `v` keeps its value after the loop.
 */
export function forUp(v: string, start: string, end: string, step: string, body: string): string {
  return lines(
    set(v, start),
    `(block $${v}_done (loop $${v}_next`,
    `(br_if $${v}_done (i32.ge_s ${get(v)} ${end}))`,
    body,
    set(v, add(get(v), step)),
    `(br $${v}_next)))`,
  );
}

/** A shuffle of the 32-bit lanes of `x` (lanes 0-3) and `y` (lanes 4-7). */
export function shuffle32(x: string, y: string, lanes: readonly number[]): string {
  const bytes = lanes.flatMap((lane) => [0, 1, 2, 3].map((b) => lane * 4 + b));
  return `(i8x16.shuffle ${bytes.join(" ")} ${x} ${y})`;
}

/** The f32 sum of the four lanes of `v`, as (v0 + v1) + (v2 + v3). */
export function horizontalSum(v: string): string {
  return `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v}))` +
    ` (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;
}
