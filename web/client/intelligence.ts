/**
 * Editor intelligence in a cell: type and syntax errors underlined (debounced while typing),
 * completions with signatures and JSDoc summaries, hover with types, docs and the live value
 * from the kernel, and parameter hints inside calls. Every answer comes from the server's
 * language service (`web/server/intelligence_routes.ts`), which sees the lesson's cells as one
 * program; this module sends it the page's current sources.
 *
 * Errors are advisory: nothing here stops a cell from running.
 *
 * @module
 */
import { appPath, routePath } from "./base_path.ts";
import { declaredNames, mentionsAny } from "./declared_names.ts";
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from "@codemirror/autocomplete";
import { type Diagnostic, diagnosticCount, forceLinting, linter } from "@codemirror/lint";
import { type Extension, Facet, Prec, StateEffect } from "@codemirror/state";
import {
  EditorView,
  hoverTooltip,
  type Tooltip,
  ViewPlugin,
  type ViewUpdate,
} from "@codemirror/view";
import type {
  CellCompletion,
  IntelligenceRequest,
  IntelligenceResponses,
} from "../../notebook/editor/types.ts";
import { pageEditors, pageSources } from "./page_editors.ts";
import { setSignature, signatureField } from "./signature_field.ts";

/** Pause in typing before a cell is checked (ms). */
const LINT_DELAY_MS = 350;
/** Pause after an edit before later cells that show errors are checked again (ms). */
const RELINT_LATER_MS = 900;
/** Pause before parameter hints are asked for (ms). */
const SIGNATURE_DELAY_MS = 120;

type Action = keyof IntelligenceResponses;

/** The lesson and cell an editor belongs to, or null outside a lesson's runnable cell. */
function cellOf(view: EditorView): { slug: string; cellId: string } | null {
  if (view.state.readOnly) return null;
  const slug = routePath().match(/^\/lessons\/([^/]+)\/?$/)?.[1];
  const cellId = view.dom.closest<HTMLElement>("[data-cell-id]")?.dataset.cellId;
  if (slug === undefined || cellId === undefined) return null;
  return { slug: decodeURIComponent(slug), cellId };
}

/** Asks the server; null when the page is not a lesson, or the request failed. */
async function ask<A extends Action>(
  view: EditorView,
  action: A,
  extra: Omit<IntelligenceRequest, "cellId" | "sources"> = {},
): Promise<IntelligenceResponses[A] | null> {
  const cell = cellOf(view);
  if (cell === null) return null;
  // The page order places the learner's scratch cells between the lesson's.
  const { order, sources } = pageSources();
  sources[cell.cellId] = view.state.doc.toString();
  const body: IntelligenceRequest = { cellId: cell.cellId, sources, order, ...extra };
  try {
    const response = await fetch(
      appPath(`/api/lessons/${encodeURIComponent(cell.slug)}/intelligence/${action}`),
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      },
    );
    if (!response.ok) return null;
    return await response.json() as IntelligenceResponses[A];
  } catch {
    return null; // the server is gone or restarting: no intelligence, the cell still runs
  }
}

// --- Diagnostics -----------------------------------------------------------------------------

/** Asks a cell's linter to check again although its text did not change (see `relintLater`). */
const relint = StateEffect.define<null>();

/** The lesson's own text of a cell (null: a scratch cell), which the course checks already. */
const lessonText = Facet.define<string | null, string | null>({
  combine: (values) => values[0] ?? null,
});
/** Editors asked to check again by an edit elsewhere: their unedited text may now be wrong. */
const relinted = new WeakSet<EditorView>();

const cellLinter = linter(async (view): Promise<Diagnostic[]> => {
  // NOTE: an unedited lesson cell is not checked when its editor opens: the course's own cells
  // type-check (`notebook/editor/language_service_test.ts`), and a page of them asked the language service to start
  // and check the whole lesson while the learner's first cell and kernel wanted the cores.
  const original = view.state.facet(lessonText);
  if (original !== null && !relinted.has(view) && view.state.doc.toString() === original) {
    return [];
  }
  const answer = await ask(view, "diagnostics");
  return (answer?.diagnostics ?? []).map((d) => ({
    from: Math.min(d.from, view.state.doc.length),
    to: Math.min(d.to, view.state.doc.length),
    severity: d.severity,
    source: `TS${d.code}`,
    message: d.message,
  }));
}, {
  delay: LINT_DELAY_MS,
  needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(relint))),
});

/** Views whose last check found errors: an edit above them may fix those. */
const viewsWithErrors = new Set<EditorView>();
let relintTimer: ReturnType<typeof setTimeout> | undefined;
/** Each cell edited since the last re-check, with its text before the first of those edits. */
const textBeforeEdits = new Map<EditorView, string>();

/** Re-checks the cells below the edited ones that show errors or use a name the edits touched. */
function relintAfterEdits(): void {
  const editors = pageEditors();
  const touched = new Set<string>();
  let first = editors.length;
  for (const [edited, before] of textBeforeEdits) {
    for (const text of [before, edited.state.doc.toString()]) {
      for (const name of declaredNames(text)) touched.add(name);
    }
    const index = editors.findIndex((e) => e.view === edited);
    if (index >= 0) first = Math.min(first, index);
  }
  textBeforeEdits.clear();
  for (const { view: later } of editors.slice(first + 1)) {
    if (viewsWithErrors.has(later) || mentionsAny(later.state.doc.toString(), touched)) {
      // NOTE: forceLinting alone does nothing when the view has no pending change.
      relinted.add(later);
      later.dispatch({ effects: relint.of(null) });
      forceLinting(later);
    }
  }
}

/**
 * After an edit, checks again the later cells that show errors (a fix above may clear them) and
 * the later cells that mention a name the edited cell declared before or after the edit (a
 * rename or a new type may break them).
 */
const relintLater = ViewPlugin.fromClass(
  class {
    constructor(readonly view: EditorView) {}

    update(update: ViewUpdate) {
      const view = update.view;
      if (diagnosticCount(update.state) > 0) viewsWithErrors.add(view);
      else viewsWithErrors.delete(view);
      if (!update.docChanged) return;
      // Keystrokes only note the text before the edits; names are read once, when they pause.
      if (!textBeforeEdits.has(view)) textBeforeEdits.set(view, update.startState.doc.toString());
      clearTimeout(relintTimer);
      relintTimer = setTimeout(relintAfterEdits, RELINT_LATER_MS);
    }

    destroy() {
      viewsWithErrors.delete(this.view);
      textBeforeEdits.delete(this.view);
    }
  },
);

// --- Completions ---------------------------------------------------------------------------

function infoNode(info: string): Node {
  const [signature, ...rest] = info.split("\n\n");
  const box = document.createElement("div");
  box.className = "cm-gb-info";
  const code = document.createElement("code");
  code.className = "cm-gb-signature-text";
  code.textContent = signature ?? "";
  box.append(code);
  const docs = rest.join("\n\n").trim();
  if (docs !== "") {
    const paragraph = document.createElement("p");
    paragraph.textContent = docs;
    box.append(paragraph);
  }
  return box;
}

async function completeCell(context: CompletionContext): Promise<CompletionResult | null> {
  const word = context.matchBefore(/[\w$]*/);
  const start = word?.from ?? context.pos;
  const isMember = context.state.sliceDoc(start - 1, start) === ".";
  if (!context.explicit && !isMember && (word === null || word.from === word.to)) return null;
  const view = context.view;
  if (view === undefined) return null;
  const answer = await ask(view, "completions", { offset: context.pos });
  const completions = answer?.completions;
  if (context.aborted || completions == null || completions.options.length === 0) return null;
  const prefix = context.state.sliceDoc(completions.from, context.pos).toLowerCase();
  const options = completions.options.map((option: CellCompletion): Completion => {
    const completion: Completion = { label: option.label, type: option.type };
    if (option.detail !== undefined) completion.detail = option.detail;
    if (option.apply !== undefined) completion.apply = option.apply;
    if (option.boost !== undefined) completion.boost = option.boost;
    completion.info = option.info !== undefined ? () => infoNode(option.info!) : async () => {
      const details = await ask(view, "completion-info", {
        offset: context.pos,
        name: option.label,
      });
      return details?.info === undefined ? null : infoNode(details.info);
    };
    return completion;
  });
  return {
    from: completions.from,
    options,
    // Typing more of the word narrows this list; a new word or deleting asks the server again.
    validFor: (text) => /^[\w$]*$/.test(text) && text.toLowerCase().startsWith(prefix),
  };
}

// --- Hover -----------------------------------------------------------------------------------

const cellHover = hoverTooltip(async (view, pos): Promise<Tooltip | null> => {
  const asked = view.state.doc;
  const answer = await ask(view, "hover", { offset: pos });
  const hover = answer?.hover;
  // Positions of a text edited since the question may not exist any more.
  if (hover == null || hover.signature === "" || view.state.doc !== asked) return null;
  return {
    pos: hover.from,
    end: hover.to,
    above: true,
    create() {
      const dom = document.createElement("div");
      dom.className = "cm-gb-hover";
      const code = document.createElement("code");
      code.className = "cm-gb-signature-text";
      code.textContent = hover.signature;
      dom.append(code);
      if (hover.live !== undefined) {
        const live = document.createElement("div");
        live.className = "cm-gb-live";
        live.textContent = `Now: ${hover.live}`;
        dom.append(live);
      }
      const docs = hover.documentation.trim();
      if (docs !== "") {
        const paragraph = document.createElement("p");
        paragraph.textContent = docs;
        dom.append(paragraph);
      }
      for (const tag of hover.tags.slice(0, 6)) {
        const line = document.createElement("div");
        line.className = "cm-gb-tag";
        line.textContent = tag;
        dom.append(line);
      }
      return { dom };
    },
  };
}, { hoverTime: 350 });

// --- Parameter hints -----------------------------------------------------------------------

/** Asks for parameter hints after `(` or `,` is typed, and follows the cursor while shown. */
const signaturePlugin = ViewPlugin.fromClass(
  class {
    timer: ReturnType<typeof setTimeout> | undefined;
    request = 0;

    update(update: ViewUpdate) {
      const showing = update.state.field(signatureField) !== null;
      let typedOpener = false;
      update.changes.iterChanges((_fromA, _toA, _fromB, _toB, inserted) => {
        // `(` arrives as `()` when brackets close themselves.
        const text = inserted.toString();
        if (text.length <= 2 && /^[(,]/.test(text)) typedOpener = true;
      });
      if (!update.view.hasFocus && showing && update.focusChanged) {
        this.#clear(update.view);
        return;
      }
      if (!typedOpener && !(showing && (update.docChanged || update.selectionSet))) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.#fetch(update.view), SIGNATURE_DELAY_MS);
    }

    async #fetch(view: EditorView) {
      const id = ++this.request;
      const pos = view.state.selection.main.head;
      const asked = view.state.doc;
      const answer = await ask(view, "signature", { offset: pos });
      // An answer for a text edited since is dropped (the edit asked again if it needs hints).
      if (id !== this.request || view.state.doc !== asked) return;
      const help = answer?.help ?? null;
      view.dispatch({ effects: setSignature.of(help === null ? null : { pos, help }) });
    }

    #clear(view: EditorView) {
      this.request++;
      clearTimeout(this.timer);
      queueMicrotask(() => view.dispatch({ effects: setSignature.of(null) }));
    }

    destroy() {
      clearTimeout(this.timer);
    }
  },
);

// NOTE: highest precedence, so that Escape closes the hints before it leaves the editor for
// command mode.
const closeSignatureOnEscape = Prec.highest(EditorView.domEventHandlers({
  keydown(event, view) {
    if (event.key !== "Escape" || view.state.field(signatureField) === null) return false;
    view.dispatch({ effects: setSignature.of(null) });
    return true;
  },
}));

const intelligenceTheme = EditorView.baseTheme({
  ".cm-gb-hover, .cm-gb-signature, .cm-gb-info": {
    maxWidth: "560px",
    padding: "6px 10px",
    fontSize: "13px",
    lineHeight: "1.45",
  },
  ".cm-gb-hover p, .cm-gb-signature p, .cm-gb-info p": {
    margin: "6px 0 0",
    whiteSpace: "pre-wrap",
  },
  ".cm-gb-signature-text, .cm-gb-signature code": {
    fontFamily: "var(--font-mono, monospace)",
    whiteSpace: "pre-wrap",
  },
  ".cm-gb-signature strong": { color: "var(--accent, #2563eb)" },
  ".cm-gb-live": {
    marginTop: "4px",
    fontFamily: "var(--font-mono, monospace)",
    color: "var(--accent, #2563eb)",
  },
  ".cm-gb-tag": { marginTop: "2px", opacity: "0.8", fontSize: "12px" },
});

/**
 * The CodeMirror extensions of editor intelligence for a runnable cell (they stay quiet in a
 * read-only cell or outside a lesson page). `original` is the lesson's own text of the cell
 * (null for a scratch cell): while the cell holds it, opening the editor checks nothing.
 */
export function intelligence(original: string | null = null): Extension {
  return [
    lessonText.of(original),
    cellLinter,
    relintLater,
    autocompletion({ override: [completeCell], icons: true }),
    cellHover,
    signatureField,
    signaturePlugin,
    closeSignatureOnEscape,
    intelligenceTheme,
  ];
}
