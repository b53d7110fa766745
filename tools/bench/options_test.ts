import { assertEquals, assertThrows } from "../../runtime/testing/assert.ts";
import { benchOptions } from "./options.ts";

Deno.test("benchOptions() takes the median of 7 after warm-up, fewer samples with --quick", () => {
  assertEquals(benchOptions([]).samples, 7);
  assertEquals(benchOptions([]).quick, false);
  assertEquals(benchOptions(["--quick"]).quick, true);
  assertEquals(benchOptions(["--quick"]).samples < 7, true);
});

Deno.test("benchOptions() rejects unknown arguments by name", () => {
  assertThrows(() => benchOptions(["--fast"]), TypeError, "unknown arguments --fast");
});

Deno.test("benchOptions() --only names sections, and rejects a name that is not one", () => {
  const known = ["matmul", "mlp", "lstm"];
  assertEquals(benchOptions(["--only", "matmul,lstm"], known).only, ["matmul", "lstm"]);
  assertEquals(benchOptions(["--only=mlp", "--quick"], known).only, ["mlp"]);
  assertEquals(benchOptions([], known).only, null);
  assertThrows(() => benchOptions(["--only", "gemm"], known), TypeError, "--only takes");
  assertThrows(() => benchOptions(["--only"], known), TypeError, "--only takes");
});
