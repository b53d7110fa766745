/**
 * Where displays go. The gradbook kernel installs its own sink; without one, displays go to
 * Deno's Jupyter kernel when running there, else to the console as text.
 *
 * Not re-exported from `mod.ts`: cells cannot import this module.
 *
 * @module
 */
import type { MimeBundle } from "./mime.ts";

/** Receives one display: a new output, or (with `update`) a replacement of `displayId`'s. */
export type DisplaySink = (data: MimeBundle, displayId: string, update: boolean) => void;

interface DenoJupyter {
  display(
    obj: unknown,
    options: { raw: boolean; display_id?: string; update?: boolean },
  ): Promise<void>;
}

let sink: DisplaySink | null = null;
const flushers = new Set<() => void>();
/** Displays handed to Deno's Jupyter kernel and not yet sent by it. */
const inFlight = new Set<Promise<void>>();

/** Installs the sink (the kernel calls this once); `null` restores the default. */
export function setDisplaySink(next: DisplaySink | null): void {
  sink = next;
}

/** Sends one display to the current sink. */
export function emitDisplay(data: MimeBundle, displayId: string, update: boolean): void {
  if (sink !== null) return sink(data, displayId, update);
  const jupyter = denoJupyter();
  if (jupyter !== undefined) {
    const sent = jupyter.display(data, { raw: true, display_id: displayId, update })
      .catch(() => {})
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    return;
  }
  console.log(String(data["text/plain"] ?? ""));
}

/** Registers a callback that sends a pending (coalesced) update; see {@link flushDisplays}. */
export function registerFlusher(flush: () => void): () => void {
  flushers.add(flush);
  return () => flushers.delete(flush);
}

/** Sends every pending coalesced update now (the kernel calls this when a cell ends). */
export function flushDisplays(): void {
  for (const flush of [...flushers]) flush();
}

/**
 * Resolves once Deno's Jupyter kernel has taken every display sent so far (an exported
 * notebook's cells await it at their end: see `interop/export_ipynb.ts`).
 */
export async function jupyterDisplaysSent(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}

/** `Deno.jupyter` inside `deno jupyter`; its getter throws anywhere else. */
function denoJupyter(): DenoJupyter | undefined {
  try {
    return (Deno as unknown as { jupyter?: DenoJupyter }).jupyter;
  } catch {
    return undefined;
  }
}
