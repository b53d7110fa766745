/**
 * Pre-trained weights that ship with gradbook, in `runtime/datasets/pretrained/`: models too slow to
 * train inside a lesson's time budget. Each one is written by a committed, seeded training
 * script (named in its metadata) and consists of two files:
 * - `<name>.json`: the metadata (what was trained, how, on what text, the training log) and the
 *   tensor table (name, shape, offset);
 * - `<name>.bin`: the tensors' values, float16, little-endian, one after another.
 *
 * Float16 halves the files; the metadata's figures are measured on the stored (rounded) weights.
 *
 * @module
 */
import type { nn } from "gradbook";
import { readDatasetFile } from "./read_file.ts";

/** Where pre-trained weights live, relative to the repository root. */
export const PRETRAINED_DIR = "runtime/datasets/pretrained";

/** A row of the tensor table in the metadata file. */
interface TensorEntry {
  name: string;
  shape: number[];
  /** Index of the tensor's first value in the `.bin` file (in values, not bytes). */
  offset: number;
}

/** What a pre-trained model's `.json` file holds besides the tensor table. */
export interface PretrainedMetadata {
  /** The script that wrote the files, e.g. `tools/train_char_lm.ts`. */
  producedBy: string;
  /** Anything the model's user needs to rebuild it and to check it: sizes, data, log. */
  [key: string]: unknown;
}

/** A loaded pre-trained model: its state dict (for `loadStateDict`) and its metadata. */
export interface Pretrained<M extends { producedBy: string } = PretrainedMetadata> {
  stateDict: nn.StateDict;
  metadata: M;
}

/**
 * Encodes a state dict and its metadata as the two files of a pre-trained model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodePretrained, encodePretrained } from "./pretrained.ts";
 * const files = encodePretrained(
 *   { w: { shape: [2], dtype: "float32", data: [0.5, -2] } },
 *   { producedBy: "an example" },
 * );
 * const back = decodePretrained(files.json, files.bin);
 * assert.deepEqual([...back.stateDict.w!.data], [0.5, -2]);
 * assert.equal(back.metadata.producedBy, "an example");
 * ```
 */
export function encodePretrained(
  stateDict: nn.StateDict,
  metadata: PretrainedMetadata,
): { json: string; bin: Uint8Array } {
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(stateDict)) {
    tensors.push({ name, shape: t.shape, offset });
    offset += t.data.length;
  }
  const values = new Float16Array(offset);
  for (const [k, t] of Object.values(stateDict).entries()) values.set(t.data, tensors[k]!.offset);
  // NOTE: typed arrays use the platform's byte order, little-endian on every CPU Deno runs on.
  const bin = new Uint8Array(values.buffer);
  return { json: JSON.stringify({ ...metadata, tensors, values: offset }, null, 1), bin };
}

/**
 * Decodes the two files of a pre-trained model (see {@link encodePretrained}); throws if the
 * files do not match each other.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodePretrained, encodePretrained } from "./pretrained.ts";
 * const { json, bin } = encodePretrained({}, { producedBy: "nothing" });
 * assert.equal(decodePretrained(json, bin).metadata.producedBy, "nothing");
 * ```
 */
export function decodePretrained<M extends { producedBy: string } = PretrainedMetadata>(
  json: string,
  bin: Uint8Array,
): Pretrained<M> {
  const { tensors, values, ...metadata } = JSON.parse(json) as PretrainedMetadata & {
    tensors: TensorEntry[];
    values: number;
  };
  if (bin.byteLength !== values * 2) {
    throw new Error(
      `pre-trained weights: the .bin file has ${bin.byteLength} bytes, the metadata expects ${
        values * 2
      } (${values} float16 values); regenerate both with ${metadata.producedBy}`,
    );
  }
  const all = new Float16Array(bin.slice().buffer);
  const stateDict: nn.StateDict = {};
  for (const { name, shape, offset } of tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    stateDict[name] = {
      shape,
      dtype: "float32",
      data: Array.from(all.subarray(offset, offset + size)),
    };
  }
  return { stateDict, metadata: metadata as M };
}

/**
 * Reads the pre-trained model `name` from {@link PRETRAINED_DIR}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadPretrained } from "gradbook/datasets";
 * const { stateDict, metadata } = await loadPretrained("char_lstm_moby_dick");
 * assert.equal(metadata.producedBy, "tools/train_char_lm.ts");
 * assert.ok(Object.keys(stateDict).length > 0);
 * ```
 */
export async function loadPretrained<M extends { producedBy: string } = PretrainedMetadata>(
  name: string,
): Promise<Pretrained<M>> {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new RangeError(`loadPretrained: ${JSON.stringify(name)} is not a pre-trained model name`);
  }
  const [json, bin] = await Promise.all([
    readDatasetFile(`${PRETRAINED_DIR}/${name}.json`),
    readDatasetFile(`${PRETRAINED_DIR}/${name}.bin`),
  ]);
  return decodePretrained<M>(new TextDecoder().decode(json), bin);
}
