/**
 * The notebook's cell editors as the page holds them, in document order: what editor
 * intelligence sends the server so a cell's checks see every other cell.
 *
 * @module
 */
import { EditorView } from "@codemirror/view";

/** The editor built inside a cell's element, or null while it is not built. */
function editorOf(cell: HTMLElement): EditorView | null {
  const dom = cell.querySelector<HTMLElement>(".cm-editor");
  return dom === null ? null : EditorView.findFromDOM(dom);
}

/** Every cell editor on the page, in document order, with its cell id. */
export function pageEditors(): { cellId: string; view: EditorView }[] {
  const editors: { cellId: string; view: EditorView }[] = [];
  for (const cell of document.querySelectorAll<HTMLElement>("[data-cell-id]")) {
    const view = editorOf(cell);
    if (view !== null && cell.dataset.cellId !== undefined) {
      editors.push({ cellId: cell.dataset.cellId, view });
    }
  }
  return editors;
}

/**
 * Every code cell's text in page order: from its editor, or, where the editor is not built yet
 * (cells far from the screen get theirs when scrolled to), from the placeholder that shows the
 * same text; so a cell's checks see the names every other cell declares.
 */
export function pageSources(): { order: string[]; sources: Record<string, string> } {
  const order: string[] = [];
  const sources: Record<string, string> = {};
  for (const cell of document.querySelectorAll<HTMLElement>("[data-cell-id]")) {
    const cellId = cell.dataset.cellId;
    if (cellId === undefined || Object.hasOwn(sources, cellId)) continue;
    const text = editorOf(cell)?.state.doc.toString() ??
      cell.querySelector<HTMLElement>(".editor-placeholder")?.textContent ?? null;
    if (text === null) continue;
    order.push(cellId);
    sources[cellId] = text;
  }
  return { order, sources };
}
