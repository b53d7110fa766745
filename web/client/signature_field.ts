/**
 * Parameter hints in a cell's editor: a state field holding the tooltip, set by
 * {@link setSignature} and moved along with the edits made while it shows.
 *
 * @module
 */
import { StateEffect, StateField } from "@codemirror/state";
import { showTooltip, type Tooltip } from "@codemirror/view";
import type { CellSignatureHelp } from "../../notebook/editor/types.ts";

/** Shows parameter hints at `pos`, or hides them (null). */
export const setSignature = StateEffect.define<{ pos: number; help: CellSignatureHelp } | null>();

/** The parameter hints shown in an editor, as a tooltip that follows edits. */
export const signatureField = StateField.define<Tooltip | null>({
  create: () => null,
  update(tooltip, transaction) {
    for (const effect of transaction.effects) {
      if (effect.is(setSignature)) {
        const value = effect.value;
        // NOTE: an answer can arrive after the text it was asked for was replaced: a position
        // past the end would make mapping it through every later edit throw.
        if (value === null || value.pos > transaction.state.doc.length) return null;
        return signatureTooltip(value.pos, value.help);
      }
    }
    if (tooltip === null || !transaction.docChanged) return tooltip;
    return { ...tooltip, pos: transaction.changes.mapPos(tooltip.pos) };
  },
  provide: (field) => showTooltip.from(field),
});

function signatureTooltip(pos: number, help: CellSignatureHelp): Tooltip | null {
  const signature = help.signatures[help.activeSignature] ?? help.signatures[0];
  if (signature === undefined) return null;
  return {
    pos,
    above: true,
    strictSide: false,
    create() {
      const dom = document.createElement("div");
      dom.className = "cm-gb-signature";
      const code = document.createElement("code");
      const active = signature.parameters[help.activeParameter];
      if (active === undefined) {
        code.textContent = signature.label;
      } else {
        const strong = document.createElement("strong");
        strong.textContent = signature.label.slice(active.from, active.to);
        code.append(
          signature.label.slice(0, active.from),
          strong,
          signature.label.slice(active.to),
        );
      }
      dom.append(code);
      const docs = active?.documentation || signature.documentation;
      if (docs) {
        const paragraph = document.createElement("p");
        paragraph.textContent = docs;
        dom.append(paragraph);
      }
      return { dom };
    },
  };
}
