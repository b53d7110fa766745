/**
 * The cell editor: CodeMirror 6 with TypeScript highlighting, Jupyter's keys (Shift+Enter run
 * and go to the next cell, Ctrl/Cmd+Enter run in place, Escape to command mode), Tab
 * indentation, a theme drawn from CSS variables (so it follows light and dark mode), and a
 * highlighted line for errors.
 *
 * @module
 */
import { basicSetup } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { indentWithTab } from "@codemirror/commands";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import { closeCompletion } from "@codemirror/autocomplete";
import { Decoration, type DecorationSet, EditorView, keymap } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { intelligence } from "./intelligence.ts";
import { wrapWithHangingIndent } from "./wrap_indent.ts";

/** How a run key was pressed. */
export type RunMode = "next" | "stay";

/** Options of {@link createEditor}. */
export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  readOnly: boolean;
  /** The lesson's own text of the cell (null or absent: a scratch cell); see `intelligence`. */
  original?: string | null;
  onChange?: (doc: string) => void;
  onRun?: (mode: RunMode) => void;
  onFocus?: () => void;
  /** Escape (when no completion or search panel wants it): leave the editor for command mode. */
  onEscape?: () => void;
}

/**
 * What the rest of the page holds of a cell's editor. Its CodeMirror view is not part of it: the
 * page loads CodeMirror after its first paint (`lazy_editor.ts`), so a cell's editor may not be
 * built yet when it is asked for its text or the focus.
 */
export interface EditorHandle {
  getDoc(): string;
  /** Replaces the whole text (reset to original); does not call `onChange`. */
  setDoc(doc: string): void;
  /** Highlights a 1-based line as the error line, or removes the highlight (`null`). */
  setErrorLine(line: number | null): void;
  focus(): void;
  /** Lets go of the keyboard (command mode). */
  blur(): void;
  destroy(): void;
}

/** A mounted editor. */
export interface CellEditor extends EditorHandle {
  view: EditorView;
}

const setErrorLineEffect = StateEffect.define<number | null>();

const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    decorations = decorations.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLineEffect)) continue;
      const line = effect.value;
      if (line === null || line < 1 || line > transaction.state.doc.lines) {
        decorations = Decoration.none;
      } else {
        const from = transaction.state.doc.line(line).from;
        decorations = Decoration.set([Decoration.line({ class: "cm-error-line" }).range(from)]);
      }
    }
    return decorations;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** Token colours from CSS variables (defined for light and dark in style.css). */
const highlightStyle = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.modifier, tags.controlKeyword, tags.operatorKeyword],
    color: "var(--tok-keyword)",
  },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: "var(--tok-string)" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--tok-number)" },
  {
    tag: [tags.comment, tags.lineComment, tags.blockComment],
    color: "var(--tok-comment)",
    fontStyle: "italic",
  },
  {
    tag: [tags.function(tags.variableName), tags.function(tags.propertyName)],
    color: "var(--tok-function)",
  },
  { tag: [tags.typeName, tags.className, tags.namespace], color: "var(--tok-type)" },
  { tag: [tags.definition(tags.variableName)], color: "var(--tok-definition)" },
  { tag: [tags.propertyName], color: "var(--tok-property)" },
  { tag: [tags.operator, tags.punctuation, tags.bracket], color: "var(--tok-punctuation)" },
]);

const theme = EditorView.theme({
  "&": { backgroundColor: "transparent", color: "var(--code-fg)", fontSize: "14px" },
  ".cm-content": { fontFamily: "var(--font-mono)", padding: "10px 0", caretColor: "var(--accent)" },
  ".cm-gutters": {
    backgroundColor: "transparent",
    color: "var(--muted-2)",
    border: "none",
    fontFamily: "var(--font-mono)",
  },
  ".cm-activeLine": { backgroundColor: "transparent" },
  "&.cm-focused .cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "transparent", color: "var(--muted)" },
  "&.cm-focused": { outline: "none" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--accent)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--selection) !important",
  },
  ".cm-matchingBracket": { backgroundColor: "var(--bracket-match)", outline: "none" },
  ".cm-error-line": { backgroundColor: "var(--error-line)" },
  ".cm-tooltip": { backgroundColor: "var(--surface)", border: "1px solid var(--border)" },
  ".cm-foldGutter": { display: "none" },
  ".cm-scroller": { lineHeight: "1.55" },
});

/** Mounts an editor in `parent`. */
export function createEditor(options: EditorOptions): CellEditor {
  const readOnly = new Compartment();
  const runKeys = Prec.highest(keymap.of([
    {
      key: "Shift-Enter",
      run: (view) => {
        closeCompletion(view);
        options.onRun?.("next");
        return true;
      },
    },
    {
      key: "Mod-Enter",
      run: (view) => {
        closeCompletion(view);
        options.onRun?.("stay");
        return true;
      },
    },
  ]));
  let silent = false;
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        runKeys,
        basicSetup,
        keymap.of([indentWithTab, {
          key: "Escape",
          run: () => {
            if (!options.onEscape) return false;
            options.onEscape();
            return true;
          },
        }]),
        javascript({ typescript: true }),
        syntaxHighlighting(highlightStyle),
        theme,
        errorLineField,
        wrapWithHangingIndent(),
        options.readOnly ? [] : intelligence(options.original ?? null),
        readOnly.of([
          EditorState.readOnly.of(options.readOnly),
          EditorView.editable.of(!options.readOnly),
        ]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !silent) options.onChange?.(update.state.doc.toString());
          if (update.focusChanged && update.view.hasFocus) options.onFocus?.();
        }),
      ],
    }),
  });
  return {
    view,
    getDoc: () => view.state.doc.toString(),
    setDoc(doc) {
      silent = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
      } finally {
        silent = false;
      }
    },
    setErrorLine(line) {
      // NOTE: every cell calls this when it mounts; a dispatch that changes nothing still reads
      // the DOM selection (a forced layout): 50 cells cost ~0.8 s of a lesson page's first load
      if (line === null && view.state.field(errorLineField).size === 0) return;
      view.dispatch({ effects: setErrorLineEffect.of(line) });
    },
    focus() {
      view.focus();
    },
    blur() {
      view.contentDOM.blur();
    },
    destroy() {
      view.destroy();
    },
  };
}
