import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "gradbook";
import {
  loadNaturalImage,
  NATURAL_IMAGES,
  type NaturalImageName,
  samplePatches,
} from "./images.ts";

Deno.test("loadNaturalImage() decodes every photograph to grayscale in [0, 1]", async () => {
  for (const name of Object.keys(NATURAL_IMAGES) as NaturalImageName[]) {
    const img = await loadNaturalImage(name);
    assertEquals(img.width, 1024);
    assertEquals(img.pixels.length, img.width * img.height);
    let min = Infinity;
    let max = -Infinity;
    for (const p of img.pixels) {
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    assert(min >= 0 && max <= 1 && max - min > 0.5, `${name}: range [${min}, ${max}]`);
  }
});

Deno.test("loadNaturalImage() downsampling averages blocks of pixels", async () => {
  const full = await loadNaturalImage("nagasaki-boats");
  const half = await loadNaturalImage("nagasaki-boats", { downsample: 2 });
  assertEquals([half.width, half.height], [512, Math.floor(full.height / 2)]);
  const w = full.width;
  const block = (full.pixels[0]! + full.pixels[1]! + full.pixels[w]! + full.pixels[w + 1]!) / 4;
  assertAlmostEquals(half.pixels[0]!, block, 1e-6);
});

Deno.test("loadNaturalImage() rejects unknown names", async () => {
  const error = await loadNaturalImage("mona-lisa" as NaturalImageName).catch((e) => e);
  assert(error instanceof RangeError, `expected a RangeError, got ${error}`);
  assert(error.message.includes('unknown image "mona-lisa"'), error.message);
});

Deno.test("samplePatches() cuts reproducible patches that match the image", () => {
  const img = { width: 4, height: 3, pixels: Float32Array.from({ length: 12 }, (_, i) => i) };
  const patches = samplePatches(img, 2, 50, new Generator(1));
  assertEquals(patches, samplePatches(img, 2, 50, new Generator(1)));
  for (const p of patches) {
    assertEquals(p[1]! - p[0]!, 1);
    assertEquals(p[2]! - p[0]!, 4);
  }
  assertThrows(() => samplePatches(img, 5, 1), RangeError, "size 5 does not fit a 4x3 image");
});
