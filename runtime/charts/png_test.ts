import assert from "node:assert/strict";
import { encodeGrayPng, grayPngDataUrl } from "./png.ts";

Deno.test("encodeGrayPng() writes the PNG signature and an 8-bit grayscale header", () => {
  const png = encodeGrayPng(new Uint8Array(6).fill(200), 3, 2);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer);
  assert.equal(String.fromCharCode(...png.subarray(12, 16)), "IHDR");
  assert.equal(view.getUint32(16), 3);
  assert.equal(view.getUint32(20), 2);
  assert.equal(png[24], 8);
  assert.equal(png[25], 0);
  assert.equal(String.fromCharCode(...png.subarray(png.length - 8, png.length - 4)), "IEND");
});

Deno.test("encodeGrayPng() rejects a pixel count that does not match the size", () => {
  assert.throws(
    () => encodeGrayPng(new Uint8Array(5), 3, 2),
    RangeError,
    "encodeGrayPng: cannot encode 5 pixels as 3 x 2",
  );
});

Deno.test("grayPngDataUrl() stores filter-prefixed scanlines in a valid zlib stream", async () => {
  const url = grayPngDataUrl([0, 0.5, 1, NaN], 2, 2);
  const bytes = Uint8Array.from(atob(url.split(",")[1]!), (c) => c.charCodeAt(0));
  const length = new DataView(bytes.buffer).getUint32(33);
  const zlib = bytes.subarray(41, 41 + length);
  const stream = new Blob([zlib]).stream().pipeThrough(new DecompressionStream("deflate"));
  const raw = new Uint8Array(await new Response(stream).arrayBuffer());
  assert.deepEqual([...raw], [0, 0, 128, 0, 255, 128]);
});
