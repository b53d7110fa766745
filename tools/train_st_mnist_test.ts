/**
 * Pins the committed RTS-MNIST networks to the script that produced them: the configuration they
 * record is today's, a rerun retraces each kind of run's recorded first steps, the comparison's
 * networks have matched sizes, and every recorded test error and angle correlation is that of
 * the committed weights.
 */
import { assert, assertEquals } from "../runtime/testing/assert.ts";
import { loadPretrained } from "../runtime/datasets/pretrained.ts";
import type { nn } from "../runtime/mod.ts";
import {
  loadRtsMnist,
  measureStored,
  ST_NAMES,
  ST_STUDY,
  type StMetadata,
  trainRun,
  UPRIGHT_RUN,
} from "./train_st_mnist.ts";

const data = await loadRtsMnist(ST_STUDY.dataSeed);
const comparison = await loadPretrained<StMetadata>(ST_NAMES.comparison);
const upright = await loadPretrained<StMetadata>(ST_NAMES.upright);

/** The tensors of the stored model `prefix`, without the prefix. */
function stateOf(state: nn.StateDict, prefix: string): nn.StateDict {
  return Object.fromEntries(
    Object.entries(state)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, t]) => [key.slice(prefix.length), t]),
  );
}

Deno.test("the committed networks were trained with today's configuration", () => {
  assertEquals(comparison.metadata.study, ST_STUDY);
  assertEquals(upright.metadata.upright, UPRIGHT_RUN);
  assertEquals(comparison.metadata.models.length, 2 * ST_STUDY.testSeeds.length);
  assertEquals(upright.metadata.models.length, ST_STUDY.testSeeds.length);
  for (const m of comparison.metadata.models) {
    const lr = m.settings.model === "cnn"
      ? comparison.metadata.chosen!.cnn
      : comparison.metadata.chosen!.st;
    assertEquals(m.settings.lr, lr, `${m.prefix} was not trained with the chosen learning rate`);
    assertEquals(m.settings.epochs, ST_STUDY.epochs);
  }
});

Deno.test("the chosen learning rates are the best on the validation split", () => {
  for (const model of ["cnn", "st-affine"]) {
    const runs = comparison.metadata.selection!.filter((r) => r.settings.model === model);
    const best = runs.reduce((a, b) =>
      Math.min(...b.validationError) < Math.min(...a.validationError) ? b : a
    );
    const chosen = model === "cnn"
      ? comparison.metadata.chosen!.cnn
      : comparison.metadata.chosen!.st;
    assertEquals(best.settings.lr, chosen);
  }
});

Deno.test("rerunning the script retraces the recorded first steps of each kind of run", () => {
  const [cnn, st] = comparison.metadata.models;
  for (const m of [cnn!, st!, upright.metadata.models[0]!]) {
    const { log } = trainRun(data, { ...m.settings, maxSteps: 3 });
    for (const [k, loss] of log.firstLosses.entries()) {
      assert(
        Math.abs(loss - m.firstLosses[k]!) < 1e-4,
        `${m.prefix} step ${k + 1}: loss ${loss}, recorded ${m.firstLosses[k]}`,
      );
    }
  }
});

Deno.test("the recorded figures are those of the committed weights, and sizes match within 10%", () => {
  for (const { stateDict, metadata } of [comparison, upright]) {
    for (const m of metadata.models) {
      const measured = measureStored(m.settings, stateOf(stateDict, m.prefix), data.test);
      assertEquals(measured.parameters, m.parameters);
      assert(
        Math.abs(measured.testError - m.testError) < 1e-9,
        `${m.prefix}: test error ${measured.testError}%, recorded ${m.testError}%`,
      );
      if (m.angleCorrelation !== undefined) {
        assert(Math.abs(measured.angleCorrelation! - m.angleCorrelation) < 1e-6);
      }
    }
  }
  const sizes = comparison.metadata.models.map((m) => m.parameters);
  assert(Math.max(...sizes) <= 1.1 * Math.min(...sizes), `parameter counts ${sizes}`);
});

Deno.test("every stored network holds the epoch with the lowest validation error", () => {
  for (const m of [...comparison.metadata.models, ...upright.metadata.models]) {
    const lowest = Math.min(...m.validationError);
    assertEquals(
      m.bestEpoch,
      m.validationError.indexOf(lowest) + 1,
      `${m.prefix} was not chosen on validation`,
    );
  }
});
