/**
 * Rewrites a stack trace from the cell worker so that it points at the cell's own lines and
 * never shows the server's file paths: cell frames become `cell:3:5`, runtime frames become
 * `gradbook/runtime/tensor.ts:120:11`, kernel and Deno-internal frames are dropped.
 *
 * @module
 */
import type { CellPosition } from "./cell_source_map.ts";

/** A compiled cell as the stack mapper needs it. */
export interface CellSourceMap {
  /** The cell this code came from. */
  cellId: string;
  map(line: number, column: number): CellPosition | null;
}

/** A mapped stack, with the position in the current cell where the error was thrown. */
export interface MappedStack {
  stack: string;
  line?: number;
  column?: number;
}

const FRAME = /^(\s+at (?:async )?)(?:(.*?) \((.*)\)|(.*))$/;
const LOCATION = /^(.*):(\d+):(\d+)$/;
const SHOWN_FOLDERS = ["runtime/"];

/**
 * Maps `stack` (with cell module URLs replaced by tags like `gbcell-3`, see `cell_worker.ts`).
 *
 * @param rootUrl `file:` URL of the repository root, ending in `/`.
 * @param currentTag Tag of the cell being executed; its frames are shown as `cell:L:C`.
 */
export function mapStack(
  stack: string,
  lookup: (tag: string) => CellSourceMap | undefined,
  currentTag: string,
  rootUrl: string,
): MappedStack {
  const result: MappedStack = { stack: "" };
  const lines: string[] = [];
  for (const line of stack.split("\n")) {
    const frame = FRAME.exec(line);
    if (frame === null) {
      lines.push(hidePaths(line, rootUrl));
      continue;
    }
    const [, prefix, name, inParens, bare] = frame;
    const location = LOCATION.exec(inParens ?? bare ?? "");
    if (location === null) continue;
    const [, file = "", lineText = "0", columnText = "0"] = location;
    let shown: string | null = null;
    if (/^gbcell-\d+$/.test(file)) {
      const cell = lookup(file);
      const position = cell?.map(Number(lineText), Number(columnText));
      if (position == null) continue;
      const isCurrent = file === currentTag;
      if (isCurrent && result.line === undefined) {
        result.line = position.line;
        result.column = position.column;
      }
      shown = `${isCurrent ? "cell" : `cell ${cell?.cellId}`}:${position.line}:${position.column}`;
      const isCellBody = name === undefined || name === "Module.default" || name === "default";
      lines.push(isCellBody ? `${prefix}${shown}` : `${prefix}${name} (${shown})`);
      continue;
    }
    if (file.startsWith(rootUrl)) {
      const relative = file.slice(rootUrl.length);
      if (SHOWN_FOLDERS.some((folder) => relative.startsWith(folder))) {
        shown = `gradbook/${relative}:${lineText}:${columnText}`;
      }
    }
    if (shown !== null) lines.push(name ? `${prefix}${name} (${shown})` : `${prefix}${shown}`);
  }
  result.stack = lines.join("\n");
  return result;
}

/** Replaces repository paths in free text (error messages) with `gradbook/...`. */
export function hidePaths(text: string, rootUrl: string): string {
  const rootPath = decodeURIComponent(new URL(rootUrl).pathname);
  return text.replaceAll(rootUrl, "gradbook/").replaceAll(rootPath, "gradbook/");
}
