/**
 * The one model of a notebook cell: a single TypeScript parse of its source, and everything the
 * host needs to know from it. The kernel's compiler emits from this parse
 * (`notebook/kernel/compile_cell.ts`), the editor's virtual program exports and imports the
 * names it lists (`notebook/editor/virtual_program.ts`), and the server's dependency and stale
 * graph uses its runtime names (`web/server/cell_names.ts`, `kernel_session.ts`). The browser
 * keeps a cheaper guess (`web/client/declared_names.ts`), tied to this one by a property test.
 *
 * @module
 */
import ts from "typescript";
import { analyzeNames } from "./name_analysis.ts";

/** What a cell declares, reads and imports, and whether its last line is a value. */
export interface CellModel {
  /** The parse itself (parent pointers set; ES2022 target, the kernel's). */
  sourceFile: ts.SourceFile;
  /**
   * Runtime names the cell defines for later cells (sorted): variables, functions, classes,
   * value imports, and names it assigns at top level without declaring them.
   */
  declares: string[];
  /** Free runtime names the cell uses anywhere, minus its own and well-known globals (sorted). */
  reads: string[];
  /** Free names used only in type positions: never a runtime dependency (sorted). */
  typeReads: string[];
  /**
   * Every name declared at the top level, types included (variables, functions, classes,
   * enums, interfaces, type aliases, namespaces, import bindings), in source order: what the
   * editor's virtual program shares with later cells.
   */
  topLevel: string[];
  /** Names the cell marks `export` (or lists in `export { ... }`). */
  exported: string[];
  /**
   * The values the cell's own code defines at top level: `function` (with a body), `class`,
   * `const`, `let` and `var` (destructuring included), in source order; no imports, types or
   * `declare`d names. What the grader's judge may read from an answer.
   */
  values: string[];
  /** Module specifiers of the cell's static imports and of `import("literal")` calls. */
  imports: string[];
  /** Whether the last statement is an expression without a closing `;` (shown as `Out[n]`). */
  hasResult: boolean;
}

/**
 * Parses a cell once and reads its model. Syntax errors do not throw: TypeScript's parser
 * recovers, and the model covers what it could read (the compiler reports the error).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCell } from "./cell_model.ts";
 * const cell = parseCell(
 *   'import { nn } from "gradbook";\nconst { w, b } = fit(xs);\nfunction f(x: Tensor) { return w * x + b; }\nf(1)',
 * );
 * assert.deepEqual(cell.declares, ["b", "f", "nn", "w"]);
 * assert.deepEqual(cell.reads, ["fit", "xs"]);
 * assert.deepEqual(cell.typeReads, ["Tensor"]);
 * assert.deepEqual(cell.imports, ["gradbook"]);
 * assert.equal(cell.hasResult, true);
 * ```
 */
export function parseCell(source: string): CellModel {
  const sourceFile = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true);
  const { declares, reads, typeReads } = analyzeNames(sourceFile);
  const { topLevel, exported, values } = topLevelDeclarations(sourceFile);
  const last = sourceFile.statements.at(-1);
  return {
    sourceFile,
    declares,
    reads,
    typeReads,
    topLevel,
    exported,
    values,
    imports: importSpecifiers(sourceFile),
    hasResult: last !== undefined && ts.isExpressionStatement(last) &&
      source[last.end - 1] !== ";",
  };
}

interface TopLevel {
  topLevel: string[];
  exported: string[];
  values: string[];
}

function hasModifier(statement: ts.Statement, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement)?.some((m) => m.kind === kind) ?? false);
}

function topLevelDeclarations(file: ts.SourceFile): TopLevel {
  const declared = new Set<string>();
  const exported = new Set<string>();
  const values = new Set<string>();
  const addBinding = (name: ts.BindingName, isValue: boolean) => {
    if (ts.isIdentifier(name)) {
      declared.add(name.text);
      if (isValue) values.add(name.text);
      return;
    }
    for (const element of name.elements) {
      if (!ts.isOmittedExpression(element)) addBinding(element.name, isValue);
    }
  };
  for (const statement of file.statements) {
    const isExported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    const isAmbient = hasModifier(statement, ts.SyntaxKind.DeclareKeyword);
    const before = new Set(declared);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        addBinding(declaration.name, !isAmbient);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)) && statement.name !== undefined
    ) {
      declared.add(statement.name.text);
      const isFunctionValue = ts.isFunctionDeclaration(statement) && statement.body !== undefined;
      const isClassValue = ts.isClassDeclaration(statement) && !isAmbient;
      if (isFunctionValue || isClassValue) values.add(statement.name.text);
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
  return { topLevel: [...declared], exported: [...exported], values: [...values] };
}

function importSpecifiers(file: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined && ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return specifiers;
}
