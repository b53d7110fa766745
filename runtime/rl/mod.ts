/**
 * Reinforcement learning: environments with a Gymnasium-like interface (`CartPole`,
 * `MountainCar`, `Pendulum`, `GridWorld`, `MultiArmedBandit`) and the helpers the algorithms need (replay
 * buffer, ε-greedy and its schedules, discounted returns, target-network updates, value
 * iteration, tabular Q-learning, `rollout` to record an episode). Everything here works on
 * plain numbers and typed arrays, so it does not depend on `nn` or `optim`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const env = new rl.CartPole();
 * const { observation } = env.reset({ seed: 0 });
 * const { reward, terminated } = env.step(1);
 * assert.equal(observation.length, 4);
 * assert.deepEqual([reward, terminated], [1, false]);
 * ```
 *
 * @module
 */
export type {
  BoxSpace,
  DiscreteSpace,
  Env,
  ResetOptions,
  ResetResult,
  Space,
  StepResult,
} from "./env.ts";
export { CartPole, CARTPOLE_CONSTANTS } from "./cartpole.ts";
export type { CartPoleFrame, CartPoleOptions, CartPoleResetOptions } from "./cartpole.ts";
export { MOUNTAIN_CAR_CONSTANTS, MountainCar } from "./mountain_car.ts";
export type { MountainCarFrame } from "./mountain_car.ts";
export { angleNormalize, Pendulum, PENDULUM_CONSTANTS } from "./pendulum.ts";
export type { PendulumFrame } from "./pendulum.ts";
export { MultiArmedBandit } from "./bandit.ts";
export type { BanditFrame, MultiArmedBanditOptions } from "./bandit.ts";
export { GRID_ACTIONS, GridWorld } from "./grid_world.ts";
export type { GridCell, GridValuesFrame, GridWorldFrame, GridWorldOptions } from "./grid_world.ts";
export type { TabularModel, Transition } from "./tabular_model.ts";
export { bellmanBackup, valueIteration } from "./value_iteration.ts";
export type { ValueIterationOptions, ValueIterationResult } from "./value_iteration.ts";
export { QLearning } from "./q_learning.ts";
export type { QLearningOptions } from "./q_learning.ts";
export { ReplayBuffer } from "./replay_buffer.ts";
export type { ReplayBatch, ReplayBufferOptions, TransitionSample } from "./replay_buffer.ts";
export { epsilonGreedy, exponentialSchedule, linearSchedule } from "./exploration.ts";
export type { Schedule } from "./exploration.ts";
export { discountedReturns } from "./returns.ts";
export type { DiscountedReturnsOptions } from "./returns.ts";
export { hardUpdate, polyakUpdate, softUpdate, TargetNetwork } from "./target_network.ts";
export type { HasData, HasStateDict, TargetNetworkOptions } from "./target_network.ts";
export { rollout } from "./rollout.ts";
export type { Episode, RolloutOptions } from "./rollout.ts";
