/**
 * The messages between the server and the language worker (`language_worker.ts`): the one
 * place where they are typed. Each request carries an id; the worker answers every request
 * once, with the same id, in the order it received them.
 *
 * @module
 */
import type {
  CellCompletion,
  CellCompletions,
  CellDiagnostic,
  CellHover,
  CellSignatureHelp,
} from "./types.ts";
import type { ProgramCell } from "./virtual_program.ts";

/** What the language worker answers, by action (the intelligence routes' actions). */
export interface LanguageResults {
  diagnostics: CellDiagnostic[];
  completions: CellCompletions | null;
  "completion-info": Pick<CellCompletion, "detail" | "info">;
  hover: CellHover | null;
  signature: CellSignatureHelp | null;
}

/** One of the intelligence actions. */
export type LanguageAction = keyof LanguageResults;

/** The actions, for checking a route's name. */
export const LANGUAGE_ACTIONS: readonly LanguageAction[] = [
  "diagnostics",
  "completions",
  "completion-info",
  "hover",
  "signature",
];

/** A question about one cell: update the lesson's cells, then answer `action` at `offset`. */
export interface LanguageQuery {
  action: LanguageAction;
  /** The lesson (its slug); the worker keeps every lesson's program. */
  lessonId: string;
  /** Every cell of the lesson in execution order, with the page's current sources. */
  cells: ProgramCell[];
  cellId: string;
  /** Offset in the cell's source (completions, hover, signature, completion-info). */
  offset: number;
  /** The completion's label (completion-info). */
  name: string;
}

/** A query with its request id, as posted to the worker. */
export interface LanguageRequest extends LanguageQuery {
  id: number;
}

/** The worker's answer to one request. */
export type LanguageReply =
  | {
    id: number;
    ok: true;
    result: LanguageResults[LanguageAction];
    /** Time the worker spent on the update and the answer (ms). */
    ms: number;
  }
  | { id: number; ok: false; errorName: string; message: string };
