/**
 * Environment viewers: a recorded CartPole episode as an animated SVG (SMIL
 * `<animateTransform>` with `keyTimes`, no script, so it plays in gradbook's notebook, in a
 * browser and as `image/svg+xml` in Jupyter), and a grid world's state values as a heatmap with
 * arrows of the greedy policy.
 *
 * @module
 */
import type { CartPoleFrame } from "../rl/cartpole.ts";
import type { GridValuesFrame } from "../rl/grid_world.ts";
import { colorScale, colorScaleRgb, prefersDarkText } from "../charts/theme.ts";
import { RichOutput } from "./rich.ts";

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const SCENE_WIDTH = 600;
const SCENE_HEIGHT = 200;
const TRACK_Y = 172;
const MARGIN = 20;

/** Options of {@link animateCartPole}. */
export interface AnimateCartPoleOptions {
  /** Frames per second of playback; default 50 (real time: CartPole steps 0.02 s). */
  fps?: number;
  /** Loop forever (default true); otherwise stop on the last frame. */
  loop?: boolean;
  /** Keep at most this many keyframes, sampled evenly (first and last kept); default 1000. */
  maxKeyframes?: number;
  /** Show small static pictures of the first and last frame under the animation; default true. */
  thumbnails?: boolean;
  /** A caption above the scene; default: steps and how the episode ended. */
  title?: string;
}

/** Rounds to 2 decimals for compact SVG numbers. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Pixels per metre and the pixel x of a cart position. */
function sceneScale(frame: CartPoleFrame): { scale: number; toPx: (x: number) => number } {
  const scale = (SCENE_WIDTH - 2 * MARGIN) / (2 * frame.xThreshold);
  return { scale, toPx: (x) => SCENE_WIDTH / 2 + x * scale };
}

/**
 * The SVG elements of one CartPole scene in a 600x200 box. `cartAnimation` and
 * `poleAnimation` are inserted inside the cart's translate group and the pole's rotate group.
 */
function cartPoleScene(frame: CartPoleFrame, cartAnimation = "", poleAnimation = ""): string {
  const { scale, toPx } = sceneScale(frame);
  const cartW = frame.cartWidth * scale;
  const cartH = frame.cartHeight * scale;
  const poleLength = frame.poleLength * scale;
  const pivotY = -cartH;
  const limit = (frame.thetaThreshold * 180) / Math.PI;
  const wedge = [-limit, limit].map((deg) => {
    const r = (deg * Math.PI) / 180;
    return `<line x1="0" y1="${num(pivotY)}" x2="${num(Math.sin(r) * poleLength)}" y2="${
      num(pivotY - Math.cos(r) * poleLength)
    }" stroke="#c44" stroke-width="1" stroke-dasharray="3 4" opacity="0.6"/>`;
  }).join("");
  return [
    `<line x1="${MARGIN}" y1="${TRACK_Y}" x2="${
      SCENE_WIDTH - MARGIN
    }" y2="${TRACK_Y}" stroke="#888" stroke-width="2"/>`,
    ...[-1, 1].map((side) =>
      `<line x1="${num(toPx(side * frame.xThreshold))}" y1="${TRACK_Y - 40}" x2="${
        num(toPx(side * frame.xThreshold))
      }" y2="${TRACK_Y + 6}" stroke="#c44" stroke-width="2"/>`
    ),
    `<g transform="translate(${num(toPx(frame.x))} ${TRACK_Y})">${cartAnimation}`,
    wedge,
    `<rect x="${num(-cartW / 2)}" y="${num(-cartH)}" width="${num(cartW)}" height="${
      num(cartH)
    }" rx="3" fill="#3b4252"/>`,
    `<g transform="rotate(${num((frame.theta * 180) / Math.PI)} 0 ${
      num(pivotY)
    })">${poleAnimation}`,
    `<rect x="-4" y="${num(pivotY - poleLength)}" width="8" height="${
      num(poleLength)
    }" rx="3" fill="#ca9865"/></g>`,
    `<circle cx="0" cy="${num(pivotY)}" r="4" fill="#8fa1b3"/></g>`,
  ].join("");
}

/** Describes how the episode in `frames` ended, for captions. */
function describeEpisode(frames: readonly CartPoleFrame[]): string {
  const last = frames[frames.length - 1]!;
  const ending = last.terminated
    ? "the pole fell or the cart left the track"
    : last.truncated
    ? "stopped by the time limit"
    : "still running";
  return `CartPole: ${last.stepCount} steps, ${ending}`;
}

/**
 * A static SVG picture of one CartPole frame (600x200, white card).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * import { drawCartPole } from "gradbook/display";
 * const env = new rl.CartPole();
 * env.reset({ seed: 0 });
 * const out = drawCartPole(env.render()); // shows the cart and pole
 * assert.ok(String(out.bundle["image/svg+xml"]).startsWith("<svg"));
 * ```
 */
export function drawCartPole(frame: CartPoleFrame): RichOutput {
  checkFrames("drawCartPole", [frame]);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SCENE_WIDTH} ${SCENE_HEIGHT}" width="${SCENE_WIDTH}" height="${SCENE_HEIGHT}" font-family='${FONT}'><rect width="100%" height="100%" fill="#fff"/>${
      cartPoleScene(frame)
    }<text x="${MARGIN}" y="18" font-size="12" fill="#555">step ${frame.stepCount}</text></svg>`;
  return new RichOutput({
    "image/svg+xml": svg,
    "text/html": svg,
    "text/plain": `<CartPole frame at step ${frame.stepCount}>`,
  });
}

function checkFrames(name: string, frames: readonly CartPoleFrame[]): void {
  if (frames.length === 0) {
    throw new RangeError(
      `${name}: no frames to draw (got an empty array); record them with rl.rollout(env, policy, { recordFrames: true })`,
    );
  }
  frames.forEach((frame, i) => {
    if (frame?.kind !== "cartpole") {
      throw new TypeError(
        `${name}: frame ${i} is not a CartPole frame (kind is ${
          JSON.stringify(frame?.kind)
        }); pass the frames of a CartPole episode`,
      );
    }
  });
}

/**
 * Picks at most `max` indices of `count`, evenly spaced, always keeping the first and last.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyframeIndices } from "./env_viewer.ts";
 * assert.deepEqual(keyframeIndices(5, 3), [0, 2, 4]);
 * ```
 */
export function keyframeIndices(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const keep = Math.max(2, Math.floor(max));
  return Array.from({ length: keep }, (_, i) => Math.round((i * (count - 1)) / (keep - 1)));
}

/**
 * An animated SVG of a recorded CartPole episode: the cart slides and the pole turns through
 * every frame (SMIL `<animateTransform>` with one keyTime per frame), with the track limits and
 * the ±12° failure angle drawn in red, a progress bar, and static pictures of the first and
 * last frame. The bundle holds `image/svg+xml` and `text/html` (the same SVG).
 *
 * - Input: frames from `rl.rollout(new rl.CartPole(), policy, { recordFrames: true })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * import { animateCartPole } from "gradbook/display";
 * const episode = rl.rollout(new rl.CartPole(), (o) => (o[2]! > 0 ? 1 : 0), {
 *   seed: 0,
 *   recordFrames: true,
 * });
 * const out = animateCartPole(episode.frames); // plays the episode in real time
 * assert.ok(String(out.bundle["image/svg+xml"]).includes("<animate"));
 * ```
 */
export function animateCartPole(
  frames: readonly CartPoleFrame[],
  options: AnimateCartPoleOptions = {},
): RichOutput {
  checkFrames("animateCartPole", frames);
  const fps = options.fps ?? 50;
  if (!(fps > 0)) throw new RangeError(`animateCartPole: fps must be positive, got ${fps}`);
  const indices = keyframeIndices(frames.length, options.maxKeyframes ?? 1000);
  const picked = indices.map((i) => frames[i]!);
  const first = picked[0]!;
  const last = picked[picked.length - 1]!;
  const { toPx } = sceneScale(first);
  const seconds = Math.max(frames.length - 1, 1) / fps;
  const keyTimes = picked.length === 1
    ? "0;1"
    : indices.map((i) => num4(i / (frames.length - 1))).join(";");
  const twice = <T>(values: T[]) => (picked.length === 1 ? [values[0]!, values[0]!] : values);
  const timing = `dur="${num(seconds)}s" ${
    options.loop ?? true ? 'repeatCount="indefinite"' : 'fill="freeze"'
  }`;
  const cartValues = twice(picked.map((f) => `${num(toPx(f.x))} ${TRACK_Y}`)).join(";");
  const pivotY = -first.cartHeight * sceneScale(first).scale;
  const poleValues = twice(picked.map((f) => `${num((f.theta * 180) / Math.PI)} 0 ${num(pivotY)}`))
    .join(";");
  const cartAnimation =
    `<animateTransform attributeName="transform" type="translate" calcMode="linear" values="${cartValues}" keyTimes="${keyTimes}" ${timing}/>`;
  const poleAnimation =
    `<animateTransform attributeName="transform" type="rotate" calcMode="linear" values="${poleValues}" keyTimes="${keyTimes}" ${timing}/>`;
  const title = options.title ?? describeEpisode(frames);
  const thumbs = options.thumbnails ?? true;
  const height = SCENE_HEIGHT + 30 + (thumbs ? SCENE_HEIGHT / 2 + 24 : 0);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="cartpole-animation" viewBox="0 0 ${SCENE_WIDTH} ${height}" width="${SCENE_WIDTH}" height="${height}" font-family='${FONT}'>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN}" y="20" font-size="13" fill="#222">${escapeXml(title)}</text>`,
    `<g transform="translate(0 20)">${cartPoleScene(first, cartAnimation, poleAnimation)}</g>`,
    `<rect x="${MARGIN}" y="${SCENE_HEIGHT + 12}" width="${
      SCENE_WIDTH - 2 * MARGIN
    }" height="4" fill="#e6e6e6"/>`,
    `<rect class="progress" x="${MARGIN}" y="${
      SCENE_HEIGHT + 12
    }" width="0" height="4" fill="#5b8def"><animate attributeName="width" values="0;${
      SCENE_WIDTH - 2 * MARGIN
    }" keyTimes="0;1" ${timing}/></rect>`,
  ];
  if (thumbs) {
    const y = SCENE_HEIGHT + 30;
    for (const [i, frame, label] of [[0, first, "first"], [1, last, "last"]] as const) {
      const x = i * (SCENE_WIDTH / 2);
      parts.push(
        `<g class="thumbnail" transform="translate(${x} ${y + 16}) scale(0.5)">${
          cartPoleScene(frame)
        }</g>`,
        `<text x="${x + MARGIN}" y="${
          y + 12
        }" font-size="11" fill="#555">${label} frame (step ${frame.stepCount})</text>`,
      );
    }
  }
  parts.push("</svg>");
  const svg = parts.join("");
  return new RichOutput({
    "image/svg+xml": svg,
    "text/html": `<div class="env-viewer">${svg}</div>`,
    "text/plain": `<${title}; ${picked.length} keyframes over ${num(seconds)} s>`,
  });
}

function num4(value: number): string {
  return String(Math.round(value * 1e4) / 1e4);
}

/** Options of {@link drawGridValues}. */
export interface DrawGridValuesOptions {
  /** A caption above the grid. */
  title?: string;
  /** Pixel size of a cell; default 64. */
  cellSize?: number;
  /** Digits printed for each value; default 2. */
  digits?: number;
}

/**
 * A grid world's state values as a heatmap (viridis) with the value printed in each cell and an
 * arrow for the policy's action; walls are gray; goals and pits (value 0 by definition) are drawn in green and red, labelled G and P.
 *
 * - Input: `env.renderValues(values, policy)` of an `rl.GridWorld`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rl } from "gradbook";
 * import { drawGridValues } from "gradbook/display";
 * const env = new rl.GridWorld({ layout: ["S..G", ".#.P", "...."], stepReward: -0.04 });
 * const { values, policy } = rl.valueIteration(env.transitionModel(), 0.9);
 * const out = drawGridValues(env.renderValues(values, policy), { title: "V* and the greedy policy" });
 * assert.ok(String(out.bundle["image/svg+xml"]).includes("V* and the greedy policy"));
 * ```
 */
export function drawGridValues(
  frame: GridValuesFrame,
  options: DrawGridValuesOptions = {},
): RichOutput {
  const size = options.cellSize ?? 64;
  const digits = options.digits ?? 2;
  const top = options.title ? 26 : 4;
  const width = frame.cols * size + 8;
  const height = frame.rows * size + top + 4;
  // NOTE: terminal cells hold V = 0 by definition; colour by the other cells' range only.
  const isTerminal = (kind: string) => kind === "goal" || kind === "pit";
  const open = frame.values.flatMap((line, row) =>
    line.filter((v, col) => Number.isFinite(v) && !isTerminal(frame.cells[row]![col]!))
  );
  const min = open.length > 0 ? Math.min(...open) : frame.min;
  const span = (open.length > 0 ? Math.max(...open) : frame.max) - min || 1;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="grid-values" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family='${FONT}'>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
  ];
  if (options.title) {
    parts.push(`<text x="4" y="17" font-size="13" fill="#222">${escapeXml(options.title)}</text>`);
  }
  const arrowAt = new Map(frame.arrows.map((a) => [`${a.row},${a.col}`, a]));
  frame.values.forEach((line, row) =>
    line.forEach((value, col) => {
      const x = 4 + col * size;
      const y = top + row * size;
      const kind = frame.cells[row]![col]!;
      if (kind === "wall" || !Number.isFinite(value)) {
        parts.push(`<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#9a9a9a"/>`);
        return;
      }
      if (isTerminal(kind)) {
        const isGoal = kind === "goal";
        parts.push(
          `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="${
            isGoal ? "#d9f2d9" : "#f7d9d9"
          }" stroke="${isGoal ? "#2a2" : "#d33"}" stroke-width="3"/>`,
          `<text x="${x + size / 2}" y="${y + size / 2 + 8}" font-size="${
            Math.round(size / 3)
          }" text-anchor="middle" font-weight="bold" fill="#222">${isGoal ? "G" : "P"}</text>`,
        );
        return;
      }
      const t = (value - min) / span;
      const ink = prefersDarkText(colorScaleRgb("viridis", t)) ? "#111" : "#fff";
      parts.push(
        `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="${
          colorScale("viridis", t)
        }" stroke="#fff" stroke-width="1"><title>[${row}, ${col}] ${value}</title></rect>`,
        `<text x="${x + 4}" y="${y + 13}" font-size="11" fill="${ink}">${
          value.toFixed(digits)
        }</text>`,
      );
      const arrow = arrowAt.get(`${row},${col}`);
      if (arrow) {
        parts.push(arrowPath(x + size / 2, y + size / 2 + 5, arrow.dx, arrow.dy, size, ink));
      }
    })
  );
  parts.push("</svg>");
  const svg = parts.join("");
  return new RichOutput({
    "image/svg+xml": svg,
    "text/html": `<div class="env-viewer">${svg}</div>`,
    "text/plain": `<grid values ${frame.rows}x${frame.cols}, ${frame.arrows.length} arrows>`,
  });
}

/** An arrow from the cell centre in direction (dx, dy) as one path with a filled head. */
function arrowPath(cx: number, cy: number, dx: number, dy: number, size: number, ink: string) {
  const half = size * 0.26;
  const head = size * 0.12;
  const [x0, y0, x1, y1] = [cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half];
  // Perpendicular (-dy, dx) for the head's base.
  const bx = x1 - dx * head;
  const by = y1 - dy * head;
  const points = [
    [x1, y1],
    [bx - dy * head * 0.7, by + dx * head * 0.7],
    [bx + dy * head * 0.7, by - dx * head * 0.7],
  ].map(([px, py]) => `${num(px!)},${num(py!)}`).join(" ");
  return `<g class="arrow"><line x1="${num(x0)}" y1="${num(y0)}" x2="${num(bx)}" y2="${
    num(by)
  }" stroke="${ink}" stroke-width="2.5"/><polygon points="${points}" fill="${ink}"/></g>`;
}
