/**
 * A tiny PNG encoder for grayscale images (stored, uncompressed deflate), so image grids can be
 * drawn as one `<image>` per picture instead of one `<rect>` per pixel.
 *
 * @module
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Encodes 8-bit grayscale pixels (row-major, `width * height` bytes) as a PNG file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeGrayPng } from "./png.ts";
 * const png = encodeGrayPng(new Uint8Array([0, 255, 255, 0]), 2, 2);
 * // the PNG signature: 0x89 "P" "N" "G"
 * assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
 * ```
 */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  if (pixels.length !== width * height) {
    throw new RangeError(
      `encodeGrayPng: cannot encode ${pixels.length} pixels as ${width} x ${height}`,
    );
  }
  // Raw scanlines: a filter byte (0 = none) before each row.
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  // zlib stream with stored deflate blocks of at most 65535 bytes.
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const zlib = new Uint8Array(2 + blocks * 5 + raw.length + 4);
  zlib[0] = 0x78;
  zlib[1] = 0x01;
  let p = 2;
  for (let b = 0; b < blocks; b++) {
    const chunk = raw.subarray(b * 65535, Math.min(raw.length, (b + 1) * 65535));
    zlib[p++] = b === blocks - 1 ? 1 : 0;
    zlib[p++] = chunk.length & 255;
    zlib[p++] = chunk.length >> 8;
    zlib[p++] = ~chunk.length & 255;
    zlib[p++] = (~chunk.length >> 8) & 255;
    zlib.set(chunk, p);
    p += chunk.length;
  }
  let s1 = 1;
  let s2 = 0;
  for (let i = 0; i < raw.length; i++) {
    s1 = (s1 + raw[i]!) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  new DataView(zlib.buffer).setUint32(p, ((s2 << 16) | s1) >>> 0);

  const chunks: [string, Uint8Array][] = [["IHDR", new Uint8Array(13)], ["IDAT", zlib], [
    "IEND",
    new Uint8Array(0),
  ]];
  const ihdr = new DataView(chunks[0]![1].buffer);
  ihdr.setUint32(0, width);
  ihdr.setUint32(4, height);
  ihdr.setUint8(8, 8); // bit depth
  ihdr.setUint8(9, 0); // colour type: grayscale
  const total = 8 + chunks.reduce((sum, [, data]) => sum + 12 + data.length, 0);
  const out = new Uint8Array(total);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(out.buffer);
  let o = 8;
  for (const [type, data] of chunks) {
    view.setUint32(o, data.length);
    for (let i = 0; i < 4; i++) out[o + 4 + i] = type.charCodeAt(i);
    out.set(data, o + 8);
    view.setUint32(o + 8 + data.length, crc32(out, o + 4, o + 8 + data.length));
    o += 12 + data.length;
  }
  return out;
}

/**
 * Encodes grayscale values as a `data:image/png;base64,...` URL, mapping `[min, max]` to
 * black..white; non-finite values become mid-gray.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { grayPngDataUrl } from "./png.ts";
 * assert.ok(grayPngDataUrl([0, 1, 1, 0], 2, 2).startsWith("data:image/png;base64,"));
 * ```
 */
export function grayPngDataUrl(
  values: ArrayLike<number>,
  width: number,
  height: number,
  min = 0,
  max = 1,
): string {
  const pixels = new Uint8Array(width * height);
  const span = max - min || 1;
  for (let i = 0; i < pixels.length; i++) {
    const v = values[i] ?? NaN;
    pixels[i] = Number.isFinite(v)
      ? Math.round(Math.min(1, Math.max(0, (v - min) / span)) * 255)
      : 128;
  }
  const png = encodeGrayPng(pixels, width, height);
  let binary = "";
  for (let i = 0; i < png.length; i += 0x8000) {
    binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  }
  return "data:image/png;base64," + btoa(binary);
}
