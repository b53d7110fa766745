/**
 * A grid world drawn from strings: the classic small MDP for tabular methods (Sutton & Barto,
 * 2018, Example 3.5 and ch. 4; Russell & Norvig's 4x3 world with `slip`).
 *
 * @module
 */
import type { Generator } from "../random.ts";
import {
  checkDiscreteAction,
  type DiscreteSpace,
  type Env,
  type ResetOptions,
  type ResetResult,
  resolveGenerator,
  type StepResult,
} from "./env.ts";
import type { TabularModel, Transition } from "./tabular_model.ts";

/** Action names by index: 0 up, 1 right, 2 down, 3 left (Gymnasium's CliffWalking order). */
export const GRID_ACTIONS = ["up", "right", "down", "left"] as const;
/** `[dRow, dCol]` for each action. */
const DELTAS: readonly (readonly [number, number])[] = [[-1, 0], [0, 1], [1, 0], [0, -1]];

/** What a cell holds: `S` start, `.` empty, `#` wall, `G` goal, `P` pit. */
export type GridCell = "start" | "empty" | "wall" | "goal" | "pit";
const CELL_KINDS: Record<string, GridCell> = {
  S: "start",
  ".": "empty",
  "#": "wall",
  G: "goal",
  P: "pit",
};

/** Options for `new GridWorld()`. */
export interface GridWorldOptions {
  /** One string per row: `S` start (one or more), `.` empty, `#` wall, `G` goal, `P` pit. */
  layout: readonly string[];
  /** Reward for entering a goal; default 1. */
  goalReward?: number;
  /** Reward for entering a pit; default -1. */
  pitReward?: number;
  /** Reward for every other move (a step cost when negative); default 0. */
  stepReward?: number;
  /** Per-cell rewards for particular goals or pits, overriding `goalReward` / `pitReward`. */
  cellRewards?: readonly { row: number; col: number; reward: number }[];
  /** Probability that the move goes to one of the two perpendicular directions; default 0. */
  slip?: number;
  /** Time limit of an episode; default 100. */
  maxEpisodeSteps?: number;
}

/** A grid-world frame as plain data. */
export interface GridWorldFrame {
  /** Always `"gridworld"`. */
  kind: "gridworld";
  /** Grid height. */
  rows: number;
  /** Grid width. */
  cols: number;
  /** `cells[row][col]`. */
  cells: GridCell[][];
  /** Where the agent is. */
  agent: { row: number; col: number };
  /** Steps taken in this episode. */
  stepCount: number;
}

/** Data for a heatmap of state values with arrows of a policy (see `GridWorld.renderValues`). */
export interface GridValuesFrame {
  /** Grid height. */
  rows: number;
  /** Grid width. */
  cols: number;
  /** `values[row][col]`; `NaN` on walls. */
  values: number[][];
  /** `cells[row][col]`. */
  cells: GridCell[][];
  /** One arrow per non-terminal open cell that has an action: unit `dx` (right) / `dy` (down). */
  arrows: { row: number; col: number; action: number; dx: number; dy: number }[];
  /** Smallest and largest finite value. */
  min: number;
  /** Largest finite value. */
  max: number;
}

/**
 * A grid world. States are cell indices `row * cols + col`; actions 0-3 move up, right, down,
 * left. Moving into a wall or off the grid leaves the agent in place. Entering a goal or pit ends
 * the episode with that cell's reward; every other move gives `stepReward`. With `slip` > 0 the
 * move goes sideways (each perpendicular direction with probability `slip / 2`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * const env = new rl.GridWorld({ layout: ["S..G", ".#.P", "...."], stepReward: -0.04 });
 * let { observation } = env.reset({ seed: 0 });
 * const step = env.step(1); // right
 * assert.deepEqual([step.observation, step.reward], [1, -0.04]);
 * const { values, policy } = rl.valueIteration(env.transitionModel(), 0.9);
 * const heatmap = env.renderValues(values, policy);
 * ```
 */
export class GridWorld implements Env<number, number, GridWorldFrame> {
  /** Four moves: up, right, down, left. */
  readonly actionSpace: DiscreteSpace = { kind: "discrete", n: 4 };
  /** One state per cell (walls included, never visited). */
  readonly observationSpace: DiscreteSpace;
  /** Grid height. */
  readonly rows: number;
  /** Grid width. */
  readonly cols: number;
  /** `cells[row][col]`. */
  readonly cells: readonly (readonly GridCell[])[];
  /** Slip probability. */
  readonly slip: number;
  /** Time limit of an episode. */
  readonly maxEpisodeSteps: number;

  #rewards: number[];
  #stepReward: number;
  #starts: number[];
  #rng: Generator | null = null;
  #state: number | null = null;
  #stepCount = 0;
  #done = false;

  constructor(options: GridWorldOptions) {
    const { layout } = options;
    const cols = layout[0]?.length ?? 0;
    if (layout.length === 0 || cols === 0 || layout.some((row) => row.length !== cols)) {
      throw new RangeError(
        `GridWorld: layout must be non-empty rows of equal length, got lengths [${
          layout.map((row) => row.length).join(", ")
        }]`,
      );
    }
    this.rows = layout.length;
    this.cols = cols;
    this.cells = layout.map((row, r) =>
      [...row].map((ch, c) => {
        const kind = CELL_KINDS[ch];
        if (!kind) {
          throw new RangeError(
            `GridWorld: unknown cell "${ch}" at row ${r}, column ${c} (use S . # G P)`,
          );
        }
        return kind;
      })
    );
    this.slip = options.slip ?? 0;
    if (!(this.slip >= 0 && this.slip <= 1)) {
      throw new RangeError(`GridWorld: slip must be in [0, 1], got ${options.slip}`);
    }
    this.maxEpisodeSteps = options.maxEpisodeSteps ?? 100;
    this.#stepReward = options.stepReward ?? 0;
    const goalReward = options.goalReward ?? 1;
    const pitReward = options.pitReward ?? -1;
    this.#rewards = this.cells.flat().map((kind) =>
      kind === "goal" ? goalReward : kind === "pit" ? pitReward : this.#stepReward
    );
    for (const { row, col, reward } of options.cellRewards ?? []) {
      const kind = this.cells[row]?.[col];
      if (kind !== "goal" && kind !== "pit") {
        throw new RangeError(
          `GridWorld: cellRewards names row ${row}, column ${col}, which is ${
            kind ?? "outside the grid"
          }, not a goal or pit`,
        );
      }
      this.#rewards[row * cols + col] = reward;
    }
    this.#starts = this.cells.flat().flatMap((kind, s) => kind === "start" ? [s] : []);
    if (this.#starts.length === 0) throw new RangeError("GridWorld: layout has no start cell S");
    this.observationSpace = { kind: "discrete", n: this.rows * this.cols };
  }

  /** The state index of a cell. */
  stateOf(row: number, col: number): number {
    return row * this.cols + col;
  }

  /** The cell of a state index. */
  positionOf(state: number): { row: number; col: number } {
    return { row: Math.floor(state / this.cols), col: state % this.cols };
  }

  /** The kind of cell a state is. */
  cellOf(state: number): GridCell {
    const { row, col } = this.positionOf(state);
    return this.cells[row]![col]!;
  }

  /** True for goal and pit states (episodes end on entering them). */
  isTerminal(state: number): boolean {
    const kind = this.cellOf(state);
    return kind === "goal" || kind === "pit";
  }

  /** Starts an episode on a start cell (chosen uniformly when there are several). */
  reset({ seed }: ResetOptions = {}): ResetResult<number> {
    this.#rng = resolveGenerator(this.#rng, seed);
    const starts = this.#starts;
    this.#state = starts.length === 1 ? starts[0]! : starts[this.#rng.randint(0, starts.length)]!;
    this.#stepCount = 0;
    this.#done = false;
    return { observation: this.#state, info: {} };
  }

  /** Moves one cell (0 up, 1 right, 2 down, 3 left), slipping sideways with `slip`. */
  step(action: number): StepResult<number> {
    if (this.#state === null) {
      throw new Error("GridWorld.step: the environment has not been reset; call reset() first");
    }
    if (this.#done) {
      throw new Error(
        `GridWorld.step: the episode already ended after ${this.#stepCount} steps; call reset() before stepping again`,
      );
    }
    checkDiscreteAction("GridWorld", action, 4);
    let direction = action;
    if (this.slip > 0) {
      const u = this.#rng!.random();
      if (u < this.slip / 2) direction = (action + 3) % 4;
      else if (u < this.slip) direction = (action + 1) % 4;
    }
    const next = this.#move(this.#state, direction);
    this.#state = next;
    this.#stepCount++;
    const terminated = this.isTerminal(next);
    const truncated = !terminated && this.#stepCount >= this.maxEpisodeSteps;
    this.#done = terminated || truncated;
    return { observation: next, reward: this.#rewards[next]!, terminated, truncated, info: {} };
  }

  /** The full transition model, for value iteration and policy evaluation. */
  transitionModel(): TabularModel {
    const transitions: Transition[][][] = [];
    for (let s = 0; s < this.rows * this.cols; s++) {
      const open = this.cellOf(s) !== "wall" && !this.isTerminal(s);
      transitions.push(GRID_ACTIONS.map((_, a) => {
        if (!open) return [];
        const outcomes = new Map<number, number>();
        const add = (direction: number, p: number) => {
          if (p <= 0) return;
          const next = this.#move(s, direction);
          outcomes.set(next, (outcomes.get(next) ?? 0) + p);
        };
        add(a, 1 - this.slip);
        add((a + 3) % 4, this.slip / 2);
        add((a + 1) % 4, this.slip / 2);
        return [...outcomes].map(([nextState, probability]) => ({
          probability,
          nextState,
          reward: this.#rewards[nextState]!,
          terminated: this.isTerminal(nextState),
        }));
      }));
    }
    return { numStates: this.rows * this.cols, numActions: 4, transitions };
  }

  /** Describes the grid and the agent (see {@link GridWorldFrame}). */
  render(): GridWorldFrame {
    const agent = this.positionOf(this.#state ?? this.#starts[0]!);
    return {
      kind: "gridworld",
      rows: this.rows,
      cols: this.cols,
      cells: this.cells.map((row) => [...row]),
      agent,
      stepCount: this.#stepCount,
    };
  }

  /**
   * Data for a heatmap of `values` (one per state) with arrows of `policy` (an action per state;
   * -1 or missing for none). Terminal cells and walls get no arrow; walls get `NaN`.
   */
  renderValues(values: ArrayLike<number>, policy?: ArrayLike<number>): GridValuesFrame {
    const n = this.rows * this.cols;
    if (values.length !== n || (policy && policy.length !== n)) {
      throw new RangeError(
        `GridWorld.renderValues: expected ${n} values and actions (one per cell of the ${this.rows}x${this.cols} grid), got ${values.length} and ${
          policy?.length ?? "none"
        }`,
      );
    }
    let min = Infinity;
    let max = -Infinity;
    const grid: number[][] = [];
    const arrows: GridValuesFrame["arrows"] = [];
    for (let row = 0; row < this.rows; row++) {
      const line: number[] = [];
      for (let col = 0; col < this.cols; col++) {
        const s = row * this.cols + col;
        const isWall = this.cells[row]![col] === "wall";
        const value = isWall ? NaN : values[s]!;
        line.push(value);
        if (Number.isFinite(value)) [min, max] = [Math.min(min, value), Math.max(max, value)];
        const action = policy?.[s] ?? -1;
        if (!isWall && !this.isTerminal(s) && action >= 0 && action < 4) {
          const [dy, dx] = DELTAS[action]!;
          arrows.push({ row, col, action, dx, dy });
        }
      }
      grid.push(line);
    }
    if (min > max) [min, max] = [0, 0];
    return {
      rows: this.rows,
      cols: this.cols,
      values: grid,
      cells: this.cells.map((r) => [...r]),
      arrows,
      min,
      max,
    };
  }

  #move(state: number, direction: number): number {
    const { row, col } = this.positionOf(state);
    const [dr, dc] = DELTAS[direction]!;
    const r = row + dr;
    const c = col + dc;
    if (r < 0 || r >= this.rows || c < 0 || c >= this.cols) return state;
    if (this.cells[r]![c] === "wall") return state;
    return r * this.cols + c;
  }
}
