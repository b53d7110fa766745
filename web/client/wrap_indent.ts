/**
 * Soft-wrapped code with a hanging indent: long lines wrap at the cell's edge instead of being
 * cut off, and each continuation row starts a little right of the line's own indentation, so a
 * wrapped line still reads as one statement (line numbers stay one per real line).
 *
 * @module
 */
import type { Extension, Text } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  EditorView,
  ViewPlugin,
  type ViewUpdate,
} from "@codemirror/view";

/** Extra indentation of continuation rows, in characters. */
const HANG = 4;

/** The indentation width of `text` in columns (tabs to the next multiple of `tabSize`). */
export function indentColumns(text: string, tabSize: number): number {
  let columns = 0;
  for (const char of text) {
    if (char === " ") columns++;
    else if (char === "\t") columns += tabSize - (columns % tabSize);
    else break;
  }
  return columns;
}

const decorationCache = new Map<number, Decoration>();

function hangingIndent(columns: number): Decoration {
  let decoration = decorationCache.get(columns);
  if (decoration === undefined) {
    const n = columns + HANG;
    // NOTE: .cm-line has 6px of left padding in CodeMirror's base theme; keep it.
    decoration = Decoration.line({
      attributes: { style: `padding-left: calc(${n}ch + 6px); text-indent: -${n}ch` },
    });
    decorationCache.set(columns, decoration);
  }
  return decoration;
}

function decorate(view: EditorView): DecorationSet {
  const ranges = [];
  const doc: Text = view.state.doc;
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = doc.lineAt(pos);
      ranges.push(hangingIndent(indentColumns(line.text, view.state.tabSize)).range(line.from));
      pos = line.to + 1;
    }
  }
  return Decoration.set(ranges);
}

/** Wraps long lines with a hanging indent (see the module doc). */
export function wrapWithHangingIndent(): Extension {
  return [
    EditorView.lineWrapping,
    ViewPlugin.fromClass(
      class {
        decorations: DecorationSet;
        constructor(view: EditorView) {
          this.decorations = decorate(view);
        }
        update(update: ViewUpdate) {
          if (update.docChanged || update.viewportChanged) {
            this.decorations = decorate(update.view);
          }
        }
      },
      { decorations: (plugin) => plugin.decorations },
    ),
  ];
}
