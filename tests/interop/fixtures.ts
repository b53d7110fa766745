/**
 * Small lessons for the interop tests, written to a temporary folder: a chart lesson with every
 * rich output (chart, table, TeX, Markdown) and an exercise whose hidden parts carry markers.
 *
 * @module
 */
import { join } from "node:path";

/** Text that appears only in the fixture's hidden tests and solution. */
export const HIDDEN_MARKERS = ["HIDDEN-TEST-MARKER-7f3a", "SOLUTION-MARKER-91c2"] as const;

const FENCE = "```";

/** A small lesson with a chart, a table, TeX, Markdown output and an exercise. */
export const CHART_LESSON = `---
title: Charts check
summary: Every rich output once.
objectives: [See a chart]
minutes: 1
order: 90
---

# Charts check

Inline math $a^2 + b^2 = c^2$ and display math:

$$
\\sigma(x) = \\frac{1}{1 + e^{-x}}
$$

${FENCE}ts
import { md, plot, table, tex } from "gradbook/display";

plot.scatter([0, 1, 2, 3], [1, 3, 2, 4], { title: "Points" })
${FENCE}

${FENCE}ts
table([{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: 0.25 }])
${FENCE}

${FENCE}ts
tex\`\\frac{\\partial L}{\\partial w}\`
${FENCE}

${FENCE}ts
md\`**bold** output\`
${FENCE}

## Exercise: double it

Write \`double(x)\` returning $2x$.

${FENCE}ts exercise id=interop-double points=1
function double(x: number): number {
  return x;
}
${FENCE}

${FENCE}ts checks
import { check, expectClose } from "gradbook/testing";

check("double(2) is 4", () => expectClose(double(2), 4));
${FENCE}

${FENCE}ts tests
import { check, expectClose } from "gradbook/testing";

check("${HIDDEN_MARKERS[0]}", () => expectClose(double(-3), -6));
${FENCE}

${FENCE}md hint
Multiply by $2$.
${FENCE}

${FENCE}ts solution
function double(x: number): number {
  // ${HIDDEN_MARKERS[1]}
  return 2 * x;
}
${FENCE}

The end.
`;

/** Writes {@link CHART_LESSON} as `90-charts.md` into a new temporary folder; returns its path. */
export async function writeChartLesson(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "gradbook-interop-" });
  const path = join(dir, "90-charts.md");
  await Deno.writeTextFile(path, CHART_LESSON);
  return path;
}

/** True when `/usr/bin/python3` can import every module named. */
export function hasPythonModules(...modules: string[]): boolean {
  try {
    return new Deno.Command("/usr/bin/python3", {
      args: ["-c", `import ${modules.join(", ")}`],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}
