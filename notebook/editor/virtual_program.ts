/**
 * Turns a lesson's cells into one virtual TypeScript program that mirrors the kernel's cell
 * semantics (see `notebook/kernel/compile_cell.ts`): every top-level declaration of a cell (including
 * its imports) is visible to every later cell, a later cell may declare the same name again
 * (the newest declaration wins), and top-level `await` works.
 *
 * Each cell becomes its own module. A one-line header imports, from the cell that declared it
 * last, every name declared by an earlier cell that this cell does not declare itself; a
 * trailer re-exports what this cell declares. So a cell's own text starts at a fixed offset in
 * its file ({@link VirtualCellFile.offset}) and line numbers map by a constant.
 *
 * @module
 */
import { parseCell } from "../cell/cell_model.ts";

/** One cell of a lesson, in execution order. */
export interface ProgramCell {
  /** The cell's id in the lesson (e.g. "c7" or an exercise id). */
  id: string;
  /** The cell's current source. */
  source: string;
}

/** One cell as a file of the virtual program. */
export interface VirtualCellFile {
  cellId: string;
  /** Absolute file name in the virtual program. */
  fileName: string;
  /** The whole file: header, the cell's source, trailer. */
  text: string;
  /** Where the cell's own source starts in {@link VirtualCellFile.text}. */
  offset: number;
  /** Length of the cell's own source. */
  length: number;
  /** Top-level names the cell declares (and re-exports to later cells). */
  declared: string[];
}

/** A file-name-safe form of a cell id (letters, digits, `_` and `-`). */
function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

/**
 * Builds the files of a lesson's virtual program in `dir` (an absolute folder name that no real
 * file uses).
 *
 * @example
 * ```ts
 * import { buildVirtualProgram } from "./virtual_program.ts";
 * const [first, second] = buildVirtualProgram("/virtual/tour", [
 *   { id: "c1", source: "const x = 1;" },
 *   { id: "c2", source: "x + 1" },
 * ]);
 * console.log(second!.text.split("\n")[0]); // import { x } from "./c1.ts";
 * ```
 */
export function buildVirtualProgram(dir: string, cells: ProgramCell[]): VirtualCellFile[] {
  /** Name -> the file name (relative) of the cell that declared it last. */
  const visible = new Map<string, string>();
  const used = new Set<string>();
  const files: VirtualCellFile[] = [];
  for (const cell of cells) {
    let base = safeName(cell.id);
    while (used.has(base)) base += "_";
    used.add(base);
    const { topLevel: declared, exported } = parseCell(cell.source);
    const own = new Set(declared);
    const bySource = new Map<string, string[]>();
    for (const [name, source] of visible) {
      if (own.has(name)) continue;
      const names = bySource.get(source) ?? [];
      names.push(name);
      bySource.set(source, names);
    }
    const header = [...bySource].map(([source, names]) =>
      `import { ${names.join(", ")} } from "./${source}";`
    ).join(" ");
    const toExport = declared.filter((name) => !exported.includes(name));
    const trailer = `\n;export { ${toExport.join(", ")} };\n`;
    const text = `${header}\n${cell.source}${trailer}`;
    files.push({
      cellId: cell.id,
      fileName: `${dir}/${base}.ts`,
      text,
      offset: header.length + 1,
      length: cell.source.length,
      declared,
    });
    for (const name of declared) visible.set(name, `${base}.ts`);
  }
  return files;
}
