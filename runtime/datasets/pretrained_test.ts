import { assert, assertEquals, assertRejects, assertThrows } from "../testing/assert.ts";
import { decodePretrained, encodePretrained, loadPretrained } from "./pretrained.ts";

Deno.test("a state dict survives encoding, rounded to float16", () => {
  const values = [0.1, -3.25, 65504, 1e-3, 0];
  const { json, bin } = encodePretrained(
    {
      "a.weight": { shape: [2, 2], dtype: "float32", data: values.slice(0, 4) },
      "a.bias": { shape: [1], dtype: "float32", data: [values[4]!] },
    },
    { producedBy: "this test", note: "kept" },
  );
  assertEquals(bin.byteLength, 5 * 2);
  const back = decodePretrained(json, bin);
  assertEquals(back.metadata.producedBy, "this test");
  assertEquals(back.metadata.note, "kept");
  assertEquals(Object.keys(back.stateDict), ["a.weight", "a.bias"]);
  assertEquals(back.stateDict["a.weight"]!.shape, [2, 2]);
  assertEquals(back.stateDict["a.weight"]!.data, values.slice(0, 4).map(Math.f16round));
  assertEquals(back.stateDict["a.bias"]!.data, [0]);
});

Deno.test("a .bin file that does not match its metadata is refused, naming the script", () => {
  const { json, bin } = encodePretrained(
    { w: { shape: [3], dtype: "float32", data: [1, 2, 3] } },
    { producedBy: "tools/some_script.ts" },
  );
  assertThrows(() => decodePretrained(json, bin.slice(0, 4)), Error, "tools/some_script.ts");
});

Deno.test("loadPretrained refuses names that are not plain file names", async () => {
  await assertRejects(() => loadPretrained("../../etc/passwd"), RangeError, "not a pre-trained");
});

Deno.test("loadPretrained reads the committed character LSTM", async () => {
  const { stateDict, metadata } = await loadPretrained("char_lstm_moby_dick");
  assertEquals(metadata.producedBy, "tools/train_char_lm.ts");
  assertEquals(Object.keys(stateDict).sort(), [
    "embed.weight",
    "head.bias",
    "head.weight",
    "lstm.bias_hh_l0",
    "lstm.bias_ih_l0",
    "lstm.weight_hh_l0",
    "lstm.weight_ih_l0",
  ]);
  const hidden = stateDict["lstm.weight_hh_l0"]!.shape[1]!;
  assertEquals(stateDict["lstm.weight_hh_l0"]!.shape, [4 * hidden, hidden]);
  assert(stateDict["head.weight"]!.data.every(Number.isFinite), "the head's weights are finite");
});
