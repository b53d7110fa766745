import assert from "node:assert/strict";
import { EditorState } from "@codemirror/state";
import { setSignature, signatureField } from "./signature_field.ts";

const help = {
  signatures: [{
    label: "map(f)",
    documentation: "",
    parameters: [{ from: 4, to: 5, documentation: "" }],
  }],
  activeSignature: 0,
  activeParameter: 0,
};

Deno.test("parameter hints answered for an older text do not break typing in the new one", () => {
  // The learner typed `xs.map(` (hints asked at 63), then replaced everything with "f" before
  // the answer came: the late answer must not leave a position past the end, which made every
  // later keystroke throw "Position 63 is out of range" and be lost.
  let state = EditorState.create({ doc: "f", extensions: [signatureField] });
  state = state.update({ effects: setSignature.of({ pos: 63, help }) }).state;
  assert.equal(state.field(signatureField), null, "an answer past the end is dropped");
  state = state.update({ changes: { from: 1, insert: "u" } }).state;
  assert.equal(state.doc.toString(), "fu");
});

Deno.test("parameter hints follow the edits made while they show", () => {
  let state = EditorState.create({ doc: "xs.map(", extensions: [signatureField] });
  state = state.update({ effects: setSignature.of({ pos: 7, help }) }).state;
  state = state.update({ changes: { from: 0, insert: "  " } }).state;
  assert.equal(state.field(signatureField)?.pos, 9);
});
