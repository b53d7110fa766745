/**
 * The instructor's summary that `deno task grade` writes next to the CSV: `gradebook.html`, one
 * self-contained page (no script, no external files) with, per exercise, the mean score, the
 * distribution of scores as a small bar chart, how many learners revealed the solution, and
 * the checks most often failed.
 *
 * @module
 */
import { renderChartSvg } from "../../runtime/charts/render_svg.ts";
import type { GradebookRow } from "./gradebook.ts";

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Score bins of the distribution, as fractions of the exercise's points. */
const BINS = ["0", "1–24%", "25–49%", "50–74%", "75–99%", "100%"];

function binOf(fraction: number): number {
  if (fraction <= 0) return 0;
  if (fraction >= 1) return 5;
  return 1 + Math.min(3, Math.floor(fraction * 4));
}

/** Summary of one exercise over all learners. */
export interface ExerciseSummary {
  lesson: string;
  exercise: string;
  maxPoints: number;
  learners: number;
  /** Learners with an answer (not "missing"). */
  submitted: number;
  meanPoints: number;
  /** Learners per {@link BINS} bin. */
  distribution: number[];
  revealed: number;
  capped: number;
  /** Checks by how many learners failed them, most first (at most 3). */
  failedMost: { name: string; failed: number; ran: number }[];
}

/**
 * Summarises gradebook rows per exercise, in the rows' order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeGradebook } from "./gradebook_html.ts";
 * const row = (learner: string, points: number) => ({
 *   learner, lesson: "l", exercise: "e", status: "graded" as const, points, maxPoints: 2,
 *   solutionRevealed: false, capped: false, message: "",
 *   checks: [{ name: "sign", passed: points === 2, points: 1, earned: 0, visible: false, message: "" }],
 * });
 * const [s] = summarizeGradebook([row("a", 2), row("b", 0)]);
 * assert.equal(s!.meanPoints, 1);
 * assert.deepEqual(s!.distribution, [1, 0, 0, 0, 0, 1]);
 * assert.deepEqual(s!.failedMost, [{ name: "sign", failed: 1, ran: 2 }]);
 * ```
 */
export function summarizeGradebook(rows: readonly GradebookRow[]): ExerciseSummary[] {
  const byExercise = new Map<string, GradebookRow[]>();
  for (const row of rows) {
    const key = `${row.lesson}\u0000${row.exercise}`;
    byExercise.set(key, [...(byExercise.get(key) ?? []), row]);
  }
  return [...byExercise.values()].map((group) => {
    const first = group[0]!;
    const distribution = BINS.map(() => 0);
    const failed = new Map<string, { failed: number; ran: number }>();
    for (const row of group) {
      distribution[binOf(first.maxPoints > 0 ? row.points / first.maxPoints : 0)]! += 1;
      for (const check of row.checks) {
        const entry = failed.get(check.name) ?? { failed: 0, ran: 0 };
        entry.ran++;
        if (!check.passed) entry.failed++;
        failed.set(check.name, entry);
      }
    }
    return {
      lesson: first.lesson,
      exercise: first.exercise,
      maxPoints: first.maxPoints,
      learners: group.length,
      submitted: group.filter((r) => r.status !== "missing").length,
      meanPoints: round(group.reduce((sum, r) => sum + r.points, 0) / group.length),
      distribution,
      revealed: group.filter((r) => r.solutionRevealed).length,
      capped: group.filter((r) => r.capped).length,
      failedMost: [...failed.entries()]
        .filter(([, c]) => c.failed > 0)
        .sort((a, b) => b[1].failed - a[1].failed || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([name, c]) => ({ name, ...c })),
    };
  });
}

/** A small inline bar chart of the distribution (learners per score bin). */
function distributionSvg(distribution: number[], learners: number): string {
  const w = 168, h = 44, bar = 24, gap = 4;
  const top = Math.max(1, ...distribution);
  const bars = distribution.map((n, i) => {
    const height = Math.round((n / top) * (h - 14));
    const x = i * (bar + gap);
    const colour = i === 0 ? "#c2410c" : i === 5 ? "#15803d" : "#2563eb";
    return `<rect x="${x}" y="${h - 12 - height}" width="${bar}" height="${height}" ` +
      `fill="${colour}"><title>${escapeHtml(BINS[i]!)}: ${n} of ${learners}</title></rect>` +
      `<text x="${x + bar / 2}" y="${h - 2}" font-size="9" text-anchor="middle" ` +
      `fill="#444">${n}</text>`;
  }).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" ` +
    `aria-label="learners per score bin: ${distribution.join(", ")}">${bars}</svg>`;
}

/**
 * Renders the instructor's summary page for gradebook rows: self-contained HTML, no script.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gradebookHtml } from "./gradebook_html.ts";
 * const html = gradebookHtml([]);
 * assert.ok(html.startsWith("<!doctype html>") && !html.includes("<script"));
 * ```
 */
export function gradebookHtml(rows: readonly GradebookRow[], generatedAt = new Date()): string {
  const summaries = summarizeGradebook(rows);
  const learners = new Set(rows.map((r) => r.learner)).size;
  const total = summaries.reduce((sum, s) => sum + s.maxPoints, 0);
  const mean = summaries.reduce((sum, s) => sum + s.meanPoints, 0);
  const chart = summaries.length === 0 ? "" : renderChartSvg({
    kind: "bar",
    title: "Mean score per exercise (% of its points)",
    labels: summaries.map((s) => s.exercise),
    values: summaries.map((s) => round((100 * s.meanPoints) / s.maxPoints, 1)),
    name: "mean %",
    yLabel: "% of points",
    width: Math.max(640, 34 * summaries.length),
    height: 360,
  });
  const body = summaries.map((s) => {
    const failed = s.failedMost.length === 0
      ? `<span class="muted">none</span>`
      : `<ol>${
        s.failedMost.map((f) =>
          `<li>${escapeHtml(f.name)} <span class="muted">(${f.failed} of ${f.ran})</span></li>`
        ).join("")
      }</ol>`;
    return `<tr><td>${escapeHtml(s.lesson)}</td><td><code>${escapeHtml(s.exercise)}</code></td>` +
      `<td class="num">${s.meanPoints} / ${s.maxPoints}<br><span class="muted">${
        round((100 * s.meanPoints) / s.maxPoints, 0)
      }%</span></td>` +
      `<td>${distributionSvg(s.distribution, s.learners)}</td>` +
      `<td class="num">${s.submitted} / ${s.learners}</td>` +
      `<td class="num">${s.revealed}${
        s.capped > 0 ? ` <span class="muted">(${s.capped} capped)</span>` : ""
      }</td>` +
      `<td>${failed}</td></tr>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gradebook summary</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1f2328; }
h1 { font-size: 20px; margin: 0 0 4px; }
table { border-collapse: collapse; margin-top: 16px; }
th, td { border-bottom: 1px solid #d0d7de; padding: 6px 10px; vertical-align: top; text-align: left; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
ol { margin: 0; padding-left: 18px; }
.muted { color: #656d76; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }
</style>
</head>
<body>
<h1>Gradebook summary</h1>
<p class="muted">${learners} learner${learners === 1 ? "" : "s"}, ${summaries.length} exercises, ` +
    `mean total ${round(mean)} of ${total} points. Written by <code>deno task grade</code> on ` +
    `${escapeHtml(generatedAt.toISOString())}.</p>
${chart}
<p class="legend muted">Distribution: learners per score bin, from left to right ${
      BINS.map((b) => escapeHtml(b)).join(", ")
    }<span style="background:#c2410c"></span>no points<span style="background:#2563eb"></span>` +
    `partial<span style="background:#15803d"></span>full marks</p>
<table>
<thead><tr><th>Lesson</th><th>Exercise</th><th>Mean</th><th>Distribution</th>` +
    `<th>Submitted</th><th>Solution revealed</th><th>Checks most often failed</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</body>
</html>
`;
}
