import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/assert.ts";
import { Generator } from "../random.ts";
import { corrupt, HopfieldNetwork, overlap, randomPatterns } from "./hopfield.ts";

Deno.test("HopfieldNetwork.store() builds symmetric Hebbian weights with a zero diagonal", () => {
  const net = new HopfieldNetwork(3).store([[1, -1, 1], [1, 1, -1]]);
  // W_ij = (1/3) sum_mu xi_i xi_j
  assertEquals(Array.from(net.weights).map((x) => Math.round(x * 3)), [
    0,
    0,
    0,
    0,
    0,
    -2,
    0,
    -2,
    0,
  ]);
  assertEquals(net.patternCount, 2);
});

Deno.test("HopfieldNetwork.energy() of a single stored pattern is -(N-1)/2", () => {
  const g = new Generator(2);
  const [xi] = randomPatterns(1, 50, g);
  const net = new HopfieldNetwork(50).store([xi!]);
  assertAlmostEquals(net.energy(xi!), -49 / 2, 1e-9);
  assertAlmostEquals(net.energy(xi!.map((v) => -v)), -49 / 2, 1e-9);
});

Deno.test("HopfieldNetwork.recall() restores corrupted patterns at a low load", () => {
  const g = new Generator(4);
  const patterns = randomPatterns(10, 200, g);
  const net = new HopfieldNetwork(200).store(patterns);
  for (const mode of ["async", "sync"] as const) {
    for (const xi of patterns) {
      const result = net.recall(corrupt(xi, 0.15, g), { mode, generator: g });
      assertEquals(overlap(result.state, xi), 1, `${mode} recall`);
      assert(result.converged);
    }
  }
});

Deno.test("asynchronous recall never increases the energy", () => {
  const g = new Generator(5);
  const net = new HopfieldNetwork(100).store(randomPatterns(20, 100, g));
  const { energies } = net.recall(randomPatterns(1, 100, g)[0]!, { generator: g });
  for (let i = 1; i < energies.length; i++) assert(energies[i]! <= energies[i - 1]! + 1e-9);
});

Deno.test("recall breaks down well above the capacity of about 0.14 N patterns", () => {
  const g = new Generator(6);
  const n = 200;
  const meanOverlap = (load: number) => {
    const patterns = randomPatterns(Math.round(load * n), n, g);
    const net = new HopfieldNetwork(n).store(patterns);
    let m = 0;
    for (const xi of patterns.slice(0, 10)) {
      m += overlap(net.recall(xi, { generator: g }).state, xi);
    }
    return m / 10;
  };
  assert(meanOverlap(0.05) > 0.98);
  assert(meanOverlap(0.3) < 0.6);
});

Deno.test("overlap() and corrupt() measure and flip the expected fraction", () => {
  const xi = new Int8Array(100).fill(1);
  assertEquals(overlap(corrupt(xi, 0.2, new Generator(0)), xi), 0.6);
  assertThrows(() => overlap([1], [1, 1]), RangeError, "1 and 2 entries");
  assertThrows(() => new HopfieldNetwork(3).energy([1, 1]), RangeError, "state has 2 entries");
});
