/**
 * Compiles one notebook cell (TypeScript) into an ES module that the cell worker can run, with
 * Jupyter semantics:
 *
 * - top-level `const`/`let`/`var`/`function`/`class`/`import` become properties of `globalThis`,
 *   so the next cell sees them and rerunning `const x = ...` works;
 * - the body runs inside an async function, so top-level `await` works;
 * - the value of the last expression statement is returned (shown as `Out[n]`) unless the
 *   statement ends in `;`;
 * - every `import` (static or dynamic) goes through `__gb.import(specifier)`, which only knows
 *   the allow-listed modules (see `cell_modules.ts`).
 *
 * The module's default export is `async function (__gb) { ... }`. Line numbers of the emitted
 * code are mapped back to the cell with the TypeScript source map ({@link CompiledCell.map}).
 * The compiler emits from the cell model's one parse (`notebook/cell/cell_model.ts`), which also
 * says whether the last line is a value.
 *
 * @module
 */
import ts from "typescript";
import { type CellModel, parseCell } from "../cell/cell_model.ts";
import {
  type CellPosition,
  decodeSourceMap,
  mapToCell,
  type SourceMapLines,
} from "./cell_source_map.ts";

import type { HostCompiledCell } from "./protocol.ts";

export type { CellPosition } from "./cell_source_map.ts";

/** Name of the helper object passed to every compiled cell. */
export const HELPER_NAME = "__gb";

/** A cell compiled to a runnable module. */
export interface CompiledCell {
  /** Source of an ES module whose default export runs the cell. */
  js: string;
  /** True when the cell ends in an expression whose value is returned for display. */
  hasResult: boolean;
  /** The source map of {@link CompiledCell.js}, decoded (plain data, so it can be sent). */
  lines: SourceMapLines;
  /** Maps a 1-based (line, column) of {@link CompiledCell.js} to the cell's own source. */
  map(line: number, column: number): CellPosition | null;
}

/** A syntax error found while compiling a cell. */
export class CellSyntaxError extends SyntaxError {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
    this.name = "SyntaxError";
  }
}

const HEADER = `export default async function (${HELPER_NAME}) {`;

/**
 * Compiles a cell's TypeScript source.
 *
 * @example
 * ```ts
 * import { compileCell } from "./compile_cell.ts";
 * const cell = compileCell("const x: number = 1;\nx + 1");
 * console.log(cell.hasResult); // true
 * ```
 * @throws {CellSyntaxError} when the source does not parse.
 */
export function compileCell(source: string | CellModel): CompiledCell {
  const model = typeof source === "string" ? parseCell(source) : source;
  const { hasResult } = model;
  const transformer: ts.TransformerFactory<ts.SourceFile> = (context) => (sourceFile) => {
    const rewritten = rewriteTopLevel(context.factory, sourceFile, context, hasResult);
    return context.factory.updateSourceFile(sourceFile, rewritten);
  };
  const output = emitModule(model.sourceFile, transformer);
  const diagnostic = output.diagnostics.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostic !== undefined) {
    const position = diagnostic.file !== undefined && diagnostic.start !== undefined
      ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
      : { line: 0, character: 0 };
    throw new CellSyntaxError(
      ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
      position.line + 1,
      position.character + 1,
    );
  }
  // NOTE: TypeScript appends `export {};` to a file that had imports; dropping that line keeps
  // every other line where the source map says it is.
  const body = output.outputText
    .replace(/\n\/\/# sourceMappingURL=.*\s*$/, "")
    .replace(/^export \{\};$/m, "");
  // Line 1 is HEADER; the transpiled output starts on line 2.
  const lines = [[], ...decodeSourceMap(output.sourceMapText ?? "")];
  return {
    js: `${HEADER}\n${body}\n}\n`,
    hasResult,
    lines,
    map: (line, column) => mapToCell(lines, line, column),
  };
}

/**
 * A cell compiled for a kernel, as plain data that can be sent: the module and its decoded
 * source map, or the syntax error found (what an execute request's `compiled` carries).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileForKernel } from "./compile_cell.ts";
 * const broken = compileForKernel("const = 3");
 * assert.ok("syntaxError" in broken && broken.syntaxError.line === 1);
 * ```
 * @throws {Error} when compiling fails for another reason than the cell's syntax.
 */
export function compileForKernel(source: string): HostCompiledCell {
  try {
    const { js, hasResult, lines } = compileCell(source);
    return { js, hasResult, lines };
  } catch (error) {
    if (!(error instanceof CellSyntaxError)) throw error;
    return { syntaxError: { message: error.message, line: error.line, column: error.column } };
  }
}

const EMIT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  sourceMap: true,
  inlineSources: false,
  removeComments: false,
  useDefineForClassFields: true,
  // As ts.transpileModule sets them: one file, no type information, no library.
  isolatedModules: true,
  noLib: true,
  noResolve: true,
  noCheck: true,
  suppressOutputPathCheck: true,
  allowNonTsExtensions: true,
};

interface Emitted {
  outputText: string;
  sourceMapText: string | undefined;
  diagnostics: readonly ts.Diagnostic[];
}

/**
 * Emits JavaScript and its source map from an already parsed file, as `ts.transpileModule`
 * does, but without parsing the text a second time.
 */
function emitModule(
  sourceFile: ts.SourceFile,
  transformer: ts.TransformerFactory<ts.SourceFile>,
): Emitted {
  let outputText = "";
  let sourceMapText: string | undefined;
  const host: ts.CompilerHost = {
    getSourceFile: (name) => name === sourceFile.fileName ? sourceFile : undefined,
    writeFile: (name, text) => {
      if (name.endsWith(".map")) sourceMapText = text;
      else outputText = text;
    },
    getDefaultLibFileName: () => "lib.d.ts",
    useCaseSensitiveFileNames: () => false,
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => "",
    getNewLine: () => "\n",
    fileExists: (name) => name === sourceFile.fileName,
    readFile: () => "",
    directoryExists: () => true,
    getDirectories: () => [],
  };
  const program = ts.createProgram([sourceFile.fileName], EMIT_OPTIONS, host);
  const diagnostics = [
    ...program.getSyntacticDiagnostics(sourceFile),
    ...program.getOptionsDiagnostics(),
  ];
  program.emit(undefined, undefined, undefined, undefined, { before: [transformer] });
  return { outputText, sourceMapText, diagnostics };
}

/** Rewrites top-level declarations into assignments on `globalThis` (see module doc). */
function rewriteTopLevel(
  f: ts.NodeFactory,
  sourceFile: ts.SourceFile,
  context: ts.TransformationContext,
  hasResult: boolean,
): ts.Statement[] {
  const hoisted: ts.Statement[] = [];
  const body: ts.Statement[] = [];
  let moduleCount = 0;
  const visitDeep = (node: ts.Node): ts.Node => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const args = node.arguments.map((a) => ts.visitNode(a, visitDeep) as ts.Expression);
      return ts.setTextRange(f.createCallExpression(helper(f, "import"), undefined, args), node);
    }
    return ts.visitEachChild(node, visitDeep, context);
  };
  const last = sourceFile.statements[sourceFile.statements.length - 1];

  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      hoisted.push(...rewriteImport(f, statement, `${HELPER_NAME}m${moduleCount++}`));
      continue;
    }
    const visited = ts.visitNode(statement, visitDeep) as ts.Statement;
    if (statement === last && hasResult && ts.isExpressionStatement(visited)) {
      body.push(ts.setTextRange(f.createReturnStatement(visited.expression), statement));
    } else if (ts.isVariableStatement(visited) && !isAmbient(visited)) {
      body.push(...rewriteVariables(f, visited));
    } else if (ts.isFunctionDeclaration(visited) && visited.name && visited.body) {
      body.push(stripExport(f, visited));
      hoisted.push(f.createExpressionStatement(
        f.createAssignment(globalName(f, visited.name.text), f.createIdentifier(visited.name.text)),
      ));
    } else if (ts.isClassDeclaration(visited) && visited.name && !isAmbient(visited)) {
      const expression = f.createClassExpression(
        visited.modifiers?.filter((m) => !isExportModifier(m)),
        visited.name,
        visited.typeParameters,
        visited.heritageClauses,
        visited.members,
      );
      body.push(ts.setTextRange(
        f.createExpressionStatement(
          f.createAssignment(globalName(f, visited.name.text), expression),
        ),
        statement,
      ));
    } else if (ts.isExportAssignment(visited)) {
      body.push(ts.setTextRange(f.createExpressionStatement(visited.expression), statement));
    } else if (ts.isExportDeclaration(visited)) {
      // `export { x }` has no meaning in a notebook: everything top-level is already shared.
      continue;
    } else {
      body.push(visited);
    }
  }
  return [...hoisted, ...body];
}

function rewriteImport(
  f: ts.NodeFactory,
  node: ts.ImportDeclaration,
  moduleVar: string,
): ts.Statement[] {
  const clause = node.importClause;
  if (clause?.isTypeOnly) return [];
  const load = f.createAwaitExpression(
    f.createCallExpression(helper(f, "import"), undefined, [
      f.createStringLiteral((node.moduleSpecifier as ts.StringLiteral).text),
    ]),
  );
  const statements: ts.Statement[] = [
    ts.setTextRange(
      f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList(
          [f.createVariableDeclaration(moduleVar, undefined, undefined, load)],
          ts.NodeFlags.Const,
        ),
      ),
      node,
    ),
  ];
  const bind = (local: string, exported: string) =>
    statements.push(f.createExpressionStatement(
      f.createAssignment(
        globalName(f, local),
        f.createPropertyAccessExpression(f.createIdentifier(moduleVar), exported),
      ),
    ));
  if (clause?.name) bind(clause.name.text, "default");
  const bindings = clause?.namedBindings;
  if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
    statements.push(f.createExpressionStatement(
      f.createAssignment(globalName(f, bindings.name.text), f.createIdentifier(moduleVar)),
    ));
  } else if (bindings !== undefined) {
    for (const element of bindings.elements) {
      if (element.isTypeOnly) continue;
      bind(element.name.text, (element.propertyName ?? element.name).text);
    }
  }
  return statements;
}

function rewriteVariables(f: ts.NodeFactory, node: ts.VariableStatement): ts.Statement[] {
  const isVar = (node.declarationList.flags & ts.NodeFlags.BlockScoped) === 0;
  const statements: ts.Statement[] = [];
  for (const declaration of node.declarationList.declarations) {
    let statement: ts.Statement;
    if (declaration.initializer !== undefined) {
      statement = f.createExpressionStatement(
        f.createAssignment(bindingTarget(f, declaration.name), declaration.initializer),
      );
    } else if (ts.isIdentifier(declaration.name)) {
      // `let x;` resets x; `var x;` keeps an existing value, as in a script.
      const target = globalName(f, declaration.name.text);
      statement = f.createExpressionStatement(
        f.createAssignment(target, isVar ? target : f.createIdentifier("undefined")),
      );
    } else {
      continue;
    }
    statements.push(ts.setTextRange(statement, declaration));
  }
  return statements;
}

/** Turns a binding pattern (`{ a, b: [c = 1] }`) into an assignment pattern on globalThis. */
function bindingTarget(f: ts.NodeFactory, name: ts.BindingName): ts.Expression {
  if (ts.isIdentifier(name)) return globalName(f, name.text);
  if (ts.isObjectBindingPattern(name)) {
    return f.createObjectLiteralExpression(name.elements.map((element) => {
      const target = withDefault(f, bindingTarget(f, element.name), element.initializer);
      if (element.dotDotDotToken) return f.createSpreadAssignment(target);
      const key = element.propertyName ?? (element.name as ts.Identifier);
      return f.createPropertyAssignment(key, target);
    }));
  }
  return f.createArrayLiteralExpression(name.elements.map((element) => {
    if (ts.isOmittedExpression(element)) return element;
    const target = withDefault(f, bindingTarget(f, element.name), element.initializer);
    return element.dotDotDotToken ? f.createSpreadElement(target) : target;
  }));
}

function withDefault(f: ts.NodeFactory, target: ts.Expression, initializer?: ts.Expression) {
  return initializer === undefined ? target : f.createAssignment(target, initializer);
}

function globalName(f: ts.NodeFactory, name: string): ts.Expression {
  return f.createPropertyAccessExpression(f.createIdentifier("globalThis"), name);
}

function helper(f: ts.NodeFactory, name: string): ts.Expression {
  return f.createPropertyAccessExpression(f.createIdentifier(HELPER_NAME), name);
}

function isExportModifier(m: ts.ModifierLike): boolean {
  return m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword;
}

function isAmbient(node: ts.VariableStatement | ts.ClassDeclaration): boolean {
  return node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ?? false;
}

function stripExport(f: ts.NodeFactory, node: ts.FunctionDeclaration): ts.FunctionDeclaration {
  if (!node.modifiers?.some(isExportModifier)) return node;
  return f.updateFunctionDeclaration(
    node,
    node.modifiers.filter((m) => !isExportModifier(m)),
    node.asteriskToken,
    node.name,
    node.typeParameters,
    node.parameters,
    node.type,
    node.body,
  );
}
