/**
 * The host's cell-compiling thread (started by `cell_compiler.ts`): compiles each cell it is
 * sent with `compile_cell.ts` and answers with plain data (`HostCompiledCell`), or with
 * `null` when compiling failed for another reason than the cell's syntax (the kernel then
 * compiles it itself and reports what went wrong).
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { compileForKernel } from "./compile_cell.ts";
import type { HostCompiledCell } from "./protocol.ts";

/** A request: compile `code`, answer with the same `id`. */
export interface CompileRequest {
  id: number;
  code: string;
}

/** The answer to a {@link CompileRequest}. */
export interface CompileAnswer {
  id: number;
  compiled: HostCompiledCell | null;
}

function compile(code: string): HostCompiledCell | null {
  try {
    return compileForKernel(code);
  } catch {
    return null; // not the cell's syntax: the kernel compiles it and reports what went wrong
  }
}

// The compiler's first cells are several times slower than the next (its code still cold):
// warm it on a cell with a type, an import and a last value, before any learner's cell comes.
compile('import { tensor } from "gradbook";\nconst warm: number[] = [1];\ntensor(warm)');

parentPort?.on("message", ({ id, code }: CompileRequest) => {
  parentPort!.postMessage({ id, compiled: compile(code) } satisfies CompileAnswer);
});
