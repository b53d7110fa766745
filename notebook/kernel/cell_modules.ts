/**
 * The modules a cell may import, by specifier. A cell runs in a worker without permissions,
 * which cannot load files it has not already loaded, so every entry must be part of the cell
 * worker's static import graph: add a dataset with one `import` line and one entry.
 *
 * @module
 */
import * as gradbook from "gradbook";
import * as display from "gradbook/display";
import * as datasets from "gradbook/datasets";
import * as testing from "gradbook/testing";
import { arm, gradbookModule, report, withhold } from "./withhold.ts";

/** Specifier -> module namespace, for `import ... from "<specifier>"` in a cell. */
export const CELL_MODULES: Readonly<Record<string, unknown>> = {
  "gradbook": gradbook,
  "gradbook/display": display,
  "gradbook/datasets": datasets,
  "gradbook/testing": testing,
  /** The grader's "no shortcuts" guard (see `withhold.ts`); useless without its nonce. */
  "gradbook/grading": Object.freeze({
    withhold,
    arm,
    report: (nonce: string) => {
      // Built without Array.prototype methods, which the answer may have replaced.
      const { called, backward } = report(nonce);
      let names = "";
      for (let i = 0; i < called.length; i++) names += (i > 0 ? "," : "") + called[i];
      return `withheld=${names};backward=${backward}`;
    },
  }),
};

/**
 * Resolves a cell's import, or throws a `TypeError` that names the specifier and what is
 * allowed.
 */
export function importCellModule(specifier: unknown): Promise<unknown> {
  const key = String(specifier);
  if (key === "gradbook") return Promise.resolve(gradbookModule());
  if (Object.hasOwn(CELL_MODULES, key)) return Promise.resolve(CELL_MODULES[key]);
  const allowed = Object.keys(CELL_MODULES).map((name) => `"${name}"`).join(", ");
  return Promise.reject(
    new TypeError(
      `Cannot import "${key}": cells may only import ${allowed} (the notebook is offline and ` +
        `sandboxed).`,
    ),
  );
}
