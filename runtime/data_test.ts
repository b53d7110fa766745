import { assert, assertEquals, assertThrows } from "./testing/assert.ts";
import { DataLoader, selectRows, shuffle, trainValSplit } from "./data.ts";
import { setInterruptFlag } from "./core/interrupt.ts";
import { Generator, seed } from "./random.ts";
import { arange, tensor } from "./tensor.ts";

Deno.test("shuffle() is a seeded permutation", () => {
  const a = shuffle(20, new Generator(5));
  assertEquals([...a].sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i));
  assertEquals(shuffle(20, new Generator(5)), a);
  assert(shuffle(20, new Generator(6)).join() !== a.join());
});

Deno.test("selectRows() copies rows of any rank and names a bad row", () => {
  const x = arange(12).reshape(3, 2, 2);
  assertEquals(selectRows(x, [2, 0]).toArray(), [[[8, 9], [10, 11]], [[0, 1], [2, 3]]]);
  assertThrows(
    () => selectRows(x, [3]),
    RangeError,
    "row 3 is out of range for a tensor of shape [3, 2, 2]",
  );
});

Deno.test("DataLoader yields aligned batches in order, with a smaller last batch", () => {
  const x = arange(10).reshape(5, 2);
  const y = arange(5);
  const loader = new DataLoader([x, y], { batchSize: 2 });
  const batches = [...loader];
  assertEquals(loader.length, 3);
  assertEquals(batches.map(([, yb]) => yb.toArray()), [[0, 1], [2, 3], [4]]);
  assertEquals(batches[2]![0].toArray(), [[8, 9]]);
});

Deno.test("DataLoader with dropLast skips the partial batch", () => {
  const loader = new DataLoader([arange(5)], { batchSize: 2, dropLast: true });
  assertEquals(loader.length, 2);
  assertEquals([...loader].map(([b]) => b.toArray()), [[0, 1], [2, 3]]);
});

Deno.test("DataLoader shuffles each pass differently but reproducibly from its seed", () => {
  const x = arange(8);
  const y = arange(8).mul(10);
  const passes = (s: number) => {
    const loader = new DataLoader([x, y], { batchSize: 3, shuffle: true, seed: s });
    return [0, 1].map(() =>
      [...loader].flatMap(([xb, yb]) => {
        assertEquals(yb.toFlatArray(), xb.toFlatArray().map((v) => v * 10));
        return xb.toFlatArray();
      })
    );
  };
  const [first, second] = passes(1);
  assertEquals([...first!].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert(first!.join() !== second!.join(), "a second pass reshuffles");
  assertEquals(passes(1), [first, second]);
});

Deno.test("DataLoader uses the global generator, so seed() fixes its order", () => {
  const order = () => {
    seed(42);
    return [...new DataLoader([arange(6)], { batchSize: 6, shuffle: true })][0]![0].toFlatArray();
  };
  assertEquals(order(), order());
});

Deno.test("DataLoader checks shapes and stops on interrupt", () => {
  assertThrows(
    () => new DataLoader([arange(4), arange(5)]),
    RangeError,
    "tensor 0 has shape [4] and tensor 1 has shape [5]",
  );
  assertThrows(() => new DataLoader([arange(4)], { batchSize: 0 }), RangeError, "batchSize");
  const flag = new Int32Array(new SharedArrayBuffer(4));
  setInterruptFlag(flag);
  try {
    const it = new DataLoader([arange(4)], { batchSize: 1 })[Symbol.iterator]();
    it.next();
    Atomics.store(flag, 0, 1);
    assertThrows(() => it.next(), Error, "Interrupted");
  } finally {
    setInterruptFlag(null);
  }
});

Deno.test("trainValSplit() splits rows consistently across tensors", () => {
  const x = arange(20).reshape(10, 2);
  const y = arange(10);
  const { train, val } = trainValSplit([x, y], { valFraction: 0.3, seed: 0 });
  assertEquals(train[0].shape, [7, 2]);
  assertEquals(val[1].shape, [3]);
  const rows = [...train[1].toFlatArray(), ...val[1].toFlatArray()];
  assertEquals([...rows].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assertEquals(val[0].toFlatArray(), val[1].toFlatArray().flatMap((r) => [2 * r, 2 * r + 1]));
  const again = trainValSplit([x, y], { valFraction: 0.3, seed: 0 });
  assertEquals(again.val[1].toArray(), val[1].toArray());
  const ordered = trainValSplit([y], { valFraction: 0.2, shuffle: false });
  assertEquals(ordered.val[0].toArray(), [8, 9]);
  assertThrows(() => trainValSplit([tensor([1])], { valFraction: 2 }), RangeError, "valFraction");
});
