/**
 * What a lesson page embeds of its data, slimmed (a lesson page with every output saved carried
 * up to 2.1 MiB of HTML): Markdown blocks leave their HTML out, since the page's static blocks
 * already hold it (`data-prose`, which `web/client/main.tsx` reads back), and saved charts leave
 * out their `image/svg+xml` fallback, which the browser draws from the chart spec instead (the
 * fallback stays in the store for export and Jupyter).
 *
 * @module
 */
import { CHART_MIME } from "../../runtime/vocabulary.ts";
import type { CellOutput, LessonPageData, SavedRun } from "../messages.ts";

function slimOutput(output: CellOutput): CellOutput {
  if (output.type !== "display" && output.type !== "result") return output;
  const chart = output.data[CHART_MIME];
  if (typeof chart !== "object" || chart === null || !("image/svg+xml" in output.data)) {
    return output;
  }
  const { "image/svg+xml": _fallback, ...data } = output.data;
  return { ...output, data };
}

/**
 * Returns `data` as the page embeds it: Markdown blocks with `html: ""` and charts without their
 * SVG fallback. `data` itself is not changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slimPageData } from "./slim_page_data.ts";
 * import type { LessonPageData } from "../messages.ts";
 * const data = {
 *   lesson: { blocks: [{ kind: "markdown", html: "<p>Hi</p>" }] },
 *   saved: {
 *     sources: {},
 *     runs: {
 *       a: {
 *         outputs: [{
 *           type: "display",
 *           data: { "application/vnd.gradbook.chart+json": { kind: "bar" }, "image/svg+xml": "<svg/>" },
 *         }],
 *         executionCount: 1,
 *         status: "ok",
 *         elapsedMs: 1,
 *         finishedAt: 0,
 *       },
 *     },
 *   },
 *   course: [],
 * } as unknown as LessonPageData;
 * const slim = slimPageData(data);
 * assert.deepEqual(slim.lesson.blocks[0], { kind: "markdown", html: "" });
 * assert.deepEqual(Object.keys((slim.saved.runs.a!.outputs[0] as { data: object }).data), [
 *   "application/vnd.gradbook.chart+json",
 * ]);
 * ```
 */
export function slimPageData(data: LessonPageData): LessonPageData {
  const runs: Record<string, SavedRun> = {};
  for (const [cellId, run] of Object.entries(data.saved.runs)) {
    runs[cellId] = { ...run, outputs: run.outputs.map(slimOutput) };
  }
  return {
    ...data,
    lesson: {
      ...data.lesson,
      blocks: data.lesson.blocks.map((block) =>
        block.kind === "markdown" ? { ...block, html: "" } : block
      ),
    },
    saved: { ...data.saved, runs },
  };
}
