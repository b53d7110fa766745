/**
 * Models from computational neuroscience: leaky integrate-and-fire neurons and networks, Poisson
 * spike trains, binning and rates, Hebbian and Oja learning, the Hopfield network, scaled
 * dot-product attention (with gradients), direction-tuned populations with the population-vector
 * decoder, PCA, spike-timing-dependent plasticity, and temporal-difference learning of a
 * cue-reward association (a model of dopamine responses). Times are in ms, rates in Hz, voltages
 * in mV above rest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuro } from "gradbook";
 * const { spikeTimes } = neuro.simulateLif(2, 500);
 * // 500 ms at the analytic rate neuro.lifRate(2) Hz
 * assert.ok(Math.abs(spikeTimes.length - neuro.lifRate(2) / 2) <= 2);
 * ```
 *
 * @module
 */
export { lifParams, lifRate, simulateLif } from "./lif.ts";
export type { LifOptions, LifParams, LifTrace } from "./lif.ts";
export { simulateLifNetwork } from "./lif_network.ts";
export type { LifNetworkOptions, LifNetworkResult } from "./lif_network.ts";
export { binSpikes, countsToRates, firingRate, poissonCount, poissonSpikeTrain } from "./spikes.ts";
export type { BinOptions } from "./spikes.ts";
export { cosineSimilarity, hebbStep, ojaStep, vectorNorm } from "./hebbian.ts";
export { corrupt, HopfieldNetwork, overlap, randomPatterns } from "./hopfield.ts";
export type { RecallOptions, RecallResult } from "./hopfield.ts";
export { scaledDotProductAttention } from "./attention.ts";
export type { AttentionOptions, AttentionResult } from "./attention.ts";
export { angularError, DirectionTunedPopulation, populationVector } from "./population.ts";
export type { PopulationOptions } from "./population.ts";
export { covariance, pca, symmetricEigen } from "./pca.ts";
export { stdpParams, stdpWeightChange, stdpWindow } from "./stdp.ts";
export type { StdpOptions, StdpParams } from "./stdp.ts";
export { simulateTdConditioning } from "./td.ts";
export type { TdConditioningOptions, TdConditioningResult } from "./td.ts";
export type { DataRows, PcaResult, SymmetricEigen } from "./pca.ts";
