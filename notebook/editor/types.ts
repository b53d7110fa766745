/**
 * What the editor intelligence answers, in the coordinates of one cell's own source (offsets
 * are UTF-16 code units from the start of the cell). Shared by the language service, the
 * server's intelligence routes and the browser client (which imports these types only).
 *
 * @module
 */

/** A syntax or type error (or warning) in a cell. */
export interface CellDiagnostic {
  from: number;
  to: number;
  /** 1-based line and column of `from` in the cell. */
  line: number;
  column: number;
  severity: "error" | "warning";
  /** TypeScript's diagnostic code (e.g. 2345). */
  code: number;
  message: string;
}

/** One completion option, shaped like CodeMirror's `Completion`. */
export interface CellCompletion {
  label: string;
  /** Icon type: "function", "method", "class", "variable", "property", "keyword", ... */
  type: string;
  /** The signature on one line, shown beside the label. */
  detail?: string;
  /** The full signature and the JSDoc summary. */
  info?: string;
  /** Text to insert when it differs from the label. */
  apply?: string;
  /** Ranking: higher comes first. */
  boost?: number;
}

/** Completions at a position: the options replace `from`..`to` of the cell. */
export interface CellCompletions {
  from: number;
  to: number;
  /** True after a `.` (members of a value). */
  isMember: boolean;
  options: CellCompletion[];
}

/** Hover information for the name under the pointer. */
export interface CellHover {
  from: number;
  to: number;
  /** The declaration as TypeScript prints it, e.g. `const x: Tensor`. */
  signature: string;
  /** The JSDoc text. */
  documentation: string;
  /** JSDoc tags, e.g. `@param inFeatures Size of each input sample.` */
  tags: string[];
  /** Set when the name is a top-level variable of the lesson: the kernel may know its value. */
  name?: string;
  /** The live value's summary from the kernel (e.g. `Tensor [64, 784] float32`), if any. */
  live?: string;
}

/** One signature of a call, with where each parameter sits in its label. */
export interface CellSignature {
  label: string;
  parameters: { from: number; to: number; documentation: string }[];
  documentation: string;
}

/** Parameter hints inside a call. */
export interface CellSignatureHelp {
  activeSignature: number;
  activeParameter: number;
  signatures: CellSignature[];
}

/** Body of every intelligence route. */
export interface IntelligenceRequest {
  /** The cell asked about. */
  cellId: string;
  /** Current sources of the lesson's cells by id, as the page has them (others: originals). */
  sources: Record<string, string>;
  /**
   * The page's cell ids top to bottom, so the learner's scratch cells (whose sources are in
   * `sources`) sit between the lesson's cells where the page shows them.
   */
  order?: string[];
  /** Offset of the cursor (or pointer) in the cell's source. */
  offset?: number;
  /** For `completion-info`: the completion's label. */
  name?: string;
}

/** Answers of the intelligence routes, by action. */
export interface IntelligenceResponses {
  diagnostics: { diagnostics: CellDiagnostic[]; ms: number };
  completions: { completions: CellCompletions | null };
  "completion-info": Pick<CellCompletion, "detail" | "info">;
  hover: { hover: CellHover | null };
  signature: { help: CellSignatureHelp | null };
}
