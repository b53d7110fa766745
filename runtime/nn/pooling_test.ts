import { assertEquals, assertThrows } from "../testing/assert.ts";
import { randn, tensor } from "../tensor.ts";
import { AvgPool2d, F, MaxPool2d } from "./mod.ts";

Deno.test("MaxPool2d and AvgPool2d equal their functional forms and have no parameters", () => {
  const x = randn([2, 3, 7, 7]);
  const max = new MaxPool2d(3, { stride: 2, padding: 1 });
  const avg = new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
  assertEquals(max.forward(x).toFlatArray(), F.maxPool2d(x, 3, 2, 1).toFlatArray());
  assertEquals(
    avg.forward(x).toFlatArray(),
    F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }).toFlatArray(),
  );
  assertEquals(max.parameters().length + avg.parameters().length, 0);
});

Deno.test("MaxPool2d(2) halves each spatial size and keeps window maxima", () => {
  const x = tensor([[[[1, 2, 0, 0], [3, 4, 0, 7], [5, 0, 1, 1], [0, 0, 1, 2]]]]);
  assertEquals(new MaxPool2d(2).forward(x).toArray(), [[[[4, 7], [5, 2]]]]);
});

Deno.test("pooling layers describe themselves like PyTorch", () => {
  assertEquals(new MaxPool2d(2).toString(), "MaxPool2d(kernelSize=2, stride=2, padding=0)");
  assertEquals(
    new AvgPool2d([2, 3], { countIncludePad: false }).toString(),
    "AvgPool2d(kernelSize=(2, 3), stride=(2, 3), padding=0, countIncludePad=false)",
  );
});

Deno.test("pooling layers reject a kernel size that is not a positive integer", () => {
  assertThrows(() => new MaxPool2d(0), RangeError, "MaxPool2d: kernelSize must be an integer ≥ 1");
});
