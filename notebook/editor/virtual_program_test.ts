import assert from "node:assert/strict";
import { buildVirtualProgram } from "./virtual_program.ts";

Deno.test("buildVirtualProgram() imports each name from the cell that declared it last", () => {
  const files = buildVirtualProgram("/v", [
    { id: "c1", source: "const x = 1; const y = 2;" },
    { id: "ex/1", source: "const y = 3;" },
    { id: "c3", source: "const x = 4;\nx + y" },
  ]);
  assert.deepEqual(files.map((f) => f.fileName), ["/v/c1.ts", "/v/ex_2f1.ts", "/v/c3.ts"]);
  const third = files[2]!;
  assert.equal(third.text.split("\n")[0], 'import { y } from "./ex_2f1.ts";');
  assert.equal(third.text.slice(third.offset, third.offset + third.length), "const x = 4;\nx + y");
  assert.match(third.text, /\n;export \{ x \};\n$/);
  assert.equal(files[0]!.offset, 1);
});

Deno.test("buildVirtualProgram() does not export a name the cell exports itself", () => {
  const [file] = buildVirtualProgram("/v", [{
    id: "a",
    source: "export const a = 1; const b = 2;",
  }]);
  assert.match(file!.text, /;export \{ b \};/);
});
