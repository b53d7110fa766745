import assert from "node:assert/strict";
import ts from "typescript";
import { buildKernelTypeScript } from "./build_kernel_typescript.ts";
import { KERNEL_IMPORT_MAP, kernelArgs } from "../notebook/kernel/kernel_command.ts";

Deno.test("the kernel's TypeScript module is the npm package, and kernels start with its import map", async () => {
  await buildKernelTypeScript();
  const built = new URL("../build/kernel/typescript.mjs", import.meta.url);
  const wrapped = (await import(built.href)).default as typeof ts;
  assert.equal(wrapped.version, ts.version);
  const file = wrapped.createSourceFile(
    "c.ts",
    "const x: number = 1;",
    wrapped.ScriptTarget.ESNext,
  );
  assert.equal(file.statements.length, 1);
  assert.equal(wrapped.sys, undefined, "no Node host: the wrapper gives it no require or process");

  const map = JSON.parse(
    await Deno.readTextFile(new URL(`../${KERNEL_IMPORT_MAP}`, import.meta.url)),
  );
  assert.equal(map.imports.typescript, "./typescript.mjs");
  assert.equal(map.imports.gradbook, "./../../runtime/mod.ts");
  const args = kernelArgs({
    memoryLimitMiB: 1024,
    processMemoryLimitMiB: 2048,
    cellTimeoutMs: 1000,
    outputLimitBytes: 1024,
    interruptGraceMs: 100,
    threads: 0,
    startTimeoutMs: 1000,
  });
  assert.ok(args.some((arg) => /^--import-map=.*build\/kernel\/import_map\.json$/.test(arg)));
});
