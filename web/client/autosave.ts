/**
 * Autosave of a lesson page: edited sources of lesson cells and the list of scratch cells, saved
 * after a quiet moment (debounced), retried after a failure, and flushed with `sendBeacon` when
 * the page is hidden or closed.
 *
 * @module
 */
import type { ScratchCell } from "../../notebook/course/scratch_cells.ts";
import type { SaveScratchRequest, SaveSourcesRequest } from "../messages.ts";
import { appPath } from "./base_path.ts";

/** Milliseconds of quiet before edits are saved. */
const SAVE_DELAY_MS = 400;
/** Milliseconds before a failed save is tried again. */
const RETRY_MS = 3000;

/** Save status shown in the toolbar. */
export type SaveStatus = "saved" | "pending" | "saving" | "failed";

/** Saves a lesson's edits on the server. */
export class Autosave {
  #sources: Record<string, string | null> = {};
  #scratchPending = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  /** Called when the save status changes. */
  onStatus: (status: SaveStatus) => void = () => {};

  /** `scratch` gives the page's scratch cells, with their current code, at save time. */
  constructor(readonly slug: string, private readonly scratch: () => ScratchCell[]) {}

  #url(what: "sources" | "scratch"): string {
    return appPath(`/api/lessons/${encodeURIComponent(this.slug)}/${what}`);
  }

  #schedule(delayMs: number): void {
    this.onStatus("pending");
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), delayMs);
  }

  /** Saves a lesson cell's source soon (`null` resets it to the lesson's code). */
  source(cellId: string, source: string | null): void {
    this.#sources[cellId] = source;
    this.#schedule(SAVE_DELAY_MS);
  }

  /** Saves the scratch cells soon, or at once (`now`: a cell was added, moved or deleted). */
  scratchChanged(now = false): void {
    this.#scratchPending = true;
    this.#schedule(now ? 0 : SAVE_DELAY_MS);
  }

  #take(): { sources: SaveSourcesRequest | null; scratch: SaveScratchRequest | null } {
    const sources = Object.keys(this.#sources).length > 0 ? { sources: this.#sources } : null;
    const scratch = this.#scratchPending ? { cells: this.scratch() } : null;
    this.#sources = {};
    this.#scratchPending = false;
    clearTimeout(this.#timer);
    return { sources, scratch };
  }

  /**
   * Saves pending edits now. One save at a time: two in flight could reach the server in either
   * order, and an older scratch list arriving last would undo a move or a delete.
   */
  flush(): Promise<void> {
    const next = this.#inFlight.then(() => this.#save());
    this.#inFlight = next;
    return next;
  }

  async #save(): Promise<void> {
    const { sources, scratch } = this.#take();
    if (sources === null && scratch === null) return;
    this.onStatus("saving");
    const post = async (what: "sources" | "scratch", body: unknown) => {
      const response = await fetch(this.#url(what), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    };
    try {
      if (sources !== null) await post("sources", sources);
    } catch {
      // Keep the edits for the next attempt unless newer ones replaced them.
      this.#sources = { ...sources!.sources, ...this.#sources };
      this.#scratchPending ||= scratch !== null;
      this.#schedule(RETRY_MS);
      this.onStatus("failed");
      return;
    }
    try {
      if (scratch !== null) await post("scratch", scratch);
    } catch {
      this.#scratchPending = true;
      this.#schedule(RETRY_MS);
      this.onStatus("failed");
      return;
    }
    if (Object.keys(this.#sources).length === 0 && !this.#scratchPending) this.onStatus("saved");
  }

  /** Saves pending edits with `sendBeacon`, which survives the page being closed. */
  flushWithBeacon(): void {
    const { sources, scratch } = this.#take();
    const beacon = (what: "sources" | "scratch", body: unknown) =>
      navigator.sendBeacon(
        this.#url(what),
        new Blob([JSON.stringify(body)], { type: "application/json" }),
      );
    let sent = true;
    if (sources !== null && !beacon("sources", sources)) {
      this.#sources = { ...sources.sources, ...this.#sources };
      sent = false;
    }
    if (scratch !== null && !beacon("scratch", scratch)) {
      this.#scratchPending = true;
      sent = false;
    }
    if (sent && (sources !== null || scratch !== null)) this.onStatus("saved");
  }
}
