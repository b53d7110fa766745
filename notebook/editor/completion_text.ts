/**
 * How the language service turns TypeScript's answers into the editor's text: signatures without
 * the virtual program's plumbing, CodeMirror's completion types, shortened docs.
 *
 * @module
 */
import ts from "typescript";

/** `value` limited to [low, high]. */
export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Drops the virtual program's plumbing from a signature: `(alias)` and `import x` lines. */
export function cleanSignature(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/^\(alias\) /, ""))
    .filter((line) => !/^(import|export) [\w$]+$/.test(line))
    .join("\n");
}

/** CodeMirror's completion icon type from a signature TypeScript printed. */
export function typeOfSignature(signature: string, fallback: string): string {
  const word = signature.match(/^\(?(\w+)/)?.[1];
  switch (word) {
    case "class":
    case "function":
    case "method":
    case "property":
    case "interface":
    case "enum":
    case "namespace":
      return word;
    case "type":
      return "type";
    case "const":
      return "constant";
    case "let":
    case "var":
    case "parameter":
      return "variable";
    default:
      return fallback;
  }
}

/** The text up to its first blank line. */
export function firstParagraph(text: string): string {
  return text.split(/\n\s*\n/)[0]?.trim() ?? "";
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** CodeMirror's completion icon type for a TypeScript element kind. */
export function completionType(kind: ts.ScriptElementKind): string {
  switch (kind) {
    case ts.ScriptElementKind.functionElement:
    case ts.ScriptElementKind.localFunctionElement:
      return "function";
    case ts.ScriptElementKind.memberFunctionElement:
    case ts.ScriptElementKind.constructSignatureElement:
    case ts.ScriptElementKind.callSignatureElement:
      return "method";
    case ts.ScriptElementKind.classElement:
    case ts.ScriptElementKind.localClassElement:
      return "class";
    case ts.ScriptElementKind.interfaceElement:
      return "interface";
    case ts.ScriptElementKind.typeElement:
    case ts.ScriptElementKind.typeParameterElement:
      return "type";
    case ts.ScriptElementKind.enumElement:
      return "enum";
    case ts.ScriptElementKind.moduleElement:
      return "namespace";
    case ts.ScriptElementKind.keyword:
      return "keyword";
    case ts.ScriptElementKind.constElement:
      return "constant";
    case ts.ScriptElementKind.memberVariableElement:
    case ts.ScriptElementKind.memberGetAccessorElement:
    case ts.ScriptElementKind.memberSetAccessorElement:
      return "property";
    default:
      return "variable";
  }
}
