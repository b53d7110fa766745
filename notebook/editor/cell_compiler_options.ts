/**
 * The TypeScript settings the editor checks cells with, and the diagnostics it leaves out.
 *
 * @module
 */
import ts from "typescript";

/**
 * Compiler options for cells: strict TypeScript, ES2022 modules with top-level await, and the
 * libs of a Deno worker (ECMAScript and the web worker globals, no DOM).
 */
export const CELL_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  allowImportingTsExtensions: true,
  noEmit: true,
  strict: true,
  useDefineForClassFields: true,
  skipLibCheck: true,
  jsx: ts.JsxEmit.ReactJSX,
  jsxImportSource: "preact",
  types: [],
  lib: ["lib.esnext.d.ts", "lib.webworker.d.ts", "lib.webworker.asynciterable.d.ts"],
};

/**
 * Diagnostics that describe the virtual program rather than the cell: the kernel turns every
 * top-level name into a property of `globalThis`, so assigning to a name from an earlier cell
 * (an import here) works when the cell runs.
 */
export const IGNORED_DIAGNOSTICS = new Set([
  2632, // Cannot assign to 'x' because it is an import.
  2539, // Cannot assign to 'x' because it is not a variable.
]);
