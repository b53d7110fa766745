/**
 * The cell editor (CodeMirror with editor intelligence, `editor.ts`) is four fifths of the
 * client's code. The bundle puts it in a chunk of its own, loaded once the lesson has painted
 * and mounted; until a cell's editor is built, the cell shows its text in a placeholder.
 *
 * @module
 */

type EditorModule = typeof import("./editor.ts");

let loading: Promise<EditorModule> | null = null;

/** Loads the editor's chunk (once; a failed load is tried again at the next call). */
export function loadEditorModule(): Promise<EditorModule> {
  loading ??= import("./editor.ts").catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}
