/**
 * Reinforcement learning: environments with a Gymnasium-like interface (`CartPole`,
 * `MountainCar`, `GridWorld`, `MultiArmedBandit`) and the helpers the algorithms need (replay
 * buffer, ε-greedy and its schedules, discounted returns, target-network updates, value
 * iteration, tabular Q-learning). Everything here works on plain numbers and typed arrays, so
 * it does not depend on `nn` or `optim`.
 *
 * @example
 * ```ts
 * import { rl } from "gradbook";
 * const env = new rl.CartPole();
 * const { observation } = env.reset({ seed: 0 });
 * const { reward, terminated } = env.step(1);
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
