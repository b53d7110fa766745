/**
 * Each lesson's run-all time against its budget: every runnable cell in order in a fresh kernel,
 * as `deno task check` runs them (exercise validation excluded). These budgets used to be
 * wall-clock steps inside the lesson tests, which failed on a loaded machine; here they are
 * figures of one bench run, with the load average beside them. `--quick` runs the tour only.
 *
 * @module
 */
import { loadCourse } from "../../notebook/course/parse_lesson.ts";
import { runLessonHeadless } from "../../notebook/kernel/run_lesson.ts";
import type { BenchRow, BenchSection } from "./section.ts";

/** Run-all budget in seconds on an idle 2-core machine, by lesson number (issue 24). */
export const LESSON_BUDGET_SECONDS: Readonly<Record<string, number>> = {
  "00": 30,
  "01": 90,
  "02": 90,
  "03": 150,
  "04": 150,
  "05": 150,
  "06": 120,
};

function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

/** One row per lesson: seconds to run every cell, with its budget and verdict in the note. */
export const lessonsSection: BenchSection = {
  name: "lessons",
  async run(options) {
    const { lessons, errors } = await loadCourse("lessons");
    if (errors.length > 0) throw errors[0];
    const chosen = options.quick ? lessons.filter((l) => l.slug.startsWith("00")) : lessons;
    const rows: BenchRow[] = [];
    for (const lesson of chosen) {
      const budget = LESSON_BUDGET_SECONDS[lesson.slug.slice(0, 2)];
      const started = performance.now();
      const run = await runLessonHeadless(lesson, { log: () => {} });
      const seconds = (performance.now() - started) / 1000;
      const verdict = !run.ok
        ? `failed: ${run.failure}`
        : budget === undefined
        ? "no budget set"
        : `${seconds <= budget ? "within" : "OVER"} its ${budget} s budget`;
      rows.push({
        workload: `lesson ${lesson.slug} run-all`,
        unit: "s",
        kind: "time",
        ours: run.ok ? seconds : null,
        peers: {},
        note: `${verdict}; load average ${loadAverage()}`,
      });
    }
    return rows;
  },
};
