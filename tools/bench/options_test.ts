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
