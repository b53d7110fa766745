import assert from "node:assert/strict";
import { nn, tensor, zeros } from "gradbook";
import { MAX_SUMMARY_CHARS, summarizeValue } from "./inspect_value.ts";
import { identifierAt } from "./identifier_at.ts";

Deno.test("summarizeValue() gives a tensor's shape, dtype and gradient tracking", () => {
  assert.equal(summarizeValue(zeros([64, 784])), "Tensor [64, 784] float32");
  assert.equal(
    summarizeValue(tensor([1, 2], { dtype: "float64", requiresGrad: true })),
    "Tensor [2] float64, requiresGrad",
  );
});

Deno.test("summarizeValue() counts a module's parameters and names classes and functions", () => {
  assert.equal(summarizeValue(new nn.Linear(784, 10)), "Linear (7,850 parameters)");
  assert.equal(summarizeValue(function train() {}), "function train");
  assert.equal(summarizeValue(class Agent {}), "class Agent");
});

Deno.test("summarizeValue() keeps arrays and other values to one short line", () => {
  assert.equal(summarizeValue([zeros([2, 3]), 1]), "Array(2), first: Tensor [2, 3] float32");
  assert.equal(summarizeValue(0.5), "0.5");
  assert.equal(summarizeValue({ lr: 0.1, nested: { a: 1 } }), "{ lr: 0.1, nested: { a: 1 } }");
  const long = summarizeValue("x".repeat(1000));
  assert.equal(long.length, MAX_SUMMARY_CHARS);
  assert.ok(long.endsWith("…"));
});

Deno.test("identifierAt() finds the identifier around the cursor, or null", () => {
  assert.equal(identifierAt("model.forward(x)", 3), "model");
  assert.equal(identifierAt("model", 5), "model");
  assert.equal(identifierAt("a + 12", 5), null);
  assert.equal(identifierAt("", 0), null);
});
