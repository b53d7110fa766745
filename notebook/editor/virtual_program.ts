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
import ts from "typescript";

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

/**
 * Names declared at the top level of a cell: variables (destructuring included), functions,
 * classes, enums, interfaces, type aliases, namespaces and import bindings.
 *
 * @example
 * ```ts
 * import { topLevelNames } from "./virtual_program.ts";
 * const names = topLevelNames('import { tensor } from "gradbook";\nconst { a, b: [c] } = f();');
 * console.log(names.declared); // ["tensor", "a", "c"]
 * ```
 */
export function topLevelNames(source: string): { declared: string[]; exported: string[] } {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, false);
  const declared = new Set<string>();
  const exported = new Set<string>();
  const addBinding = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) {
      declared.add(name.text);
      return;
    }
    for (const element of name.elements) {
      if (!ts.isOmittedExpression(element)) addBinding(element.name);
    }
  };
  for (const statement of file.statements) {
    const isExported = ts.canHaveModifiers(statement) &&
      (ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
    const before = new Set(declared);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        addBinding(declaration.name);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)) && statement.name !== undefined
    ) {
      declared.add(statement.name.text);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      declared.add(statement.name.text);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      declared.add(statement.name.text);
    } else if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) declared.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
        declared.add(bindings.name.text);
      } else if (bindings !== undefined) {
        for (const element of bindings.elements) declared.add(element.name.text);
      }
    } else if (ts.isExportDeclaration(statement) && statement.exportClause !== undefined) {
      if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) exported.add(element.name.text);
      }
    }
    if (isExported) {
      for (const name of declared) if (!before.has(name)) exported.add(name);
    }
  }
  return { declared: [...declared], exported: [...exported] };
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
    const { declared, exported } = topLevelNames(cell.source);
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
