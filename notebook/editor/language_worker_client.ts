/**
 * The server's side of the language worker (`language_worker.ts`): starts the worker on the
 * first question, sends one request at a time with an id, coalesces queued diagnostics for the
 * same cell (only the newest text is checked; every waiter gets that answer), restarts the
 * worker after a crash or a request that takes too long, and stops it on {@link
 * LanguageWorker.close}. It does not import TypeScript, so the main thread never loads it.
 *
 * The worker may read the repository (the runtime's sources, `node_modules/typescript`) and the
 * few environment variables TypeScript reads when it loads; nothing else. Narrowing a worker's
 * permissions needs `--unstable-worker-options` (without it Deno exits at once), so when the
 * flag is not on the process's command line the worker inherits the server's permissions.
 *
 * @example
 * ```ts ignore
 * const worker = new LanguageWorker();
 * const { result } = await worker.ask({
 *   action: "diagnostics", lessonId: "intro", cellId: "c1", offset: 0, name: "",
 *   cells: [{ id: "c1", source: "const x: number = 'one';" }],
 * });
 * worker.close();
 * ```
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type {
  LanguageAction,
  LanguageQuery,
  LanguageReply,
  LanguageRequest,
  LanguageResults,
} from "./protocol.ts";

/** The repository root, which the worker may read. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Environment variables TypeScript's `sys` reads when it loads (it fails without them). */
export const TYPESCRIPT_ENV: readonly string[] = [
  "NODE_ENV",
  "NODE_INSPECTOR_IPC",
  "VSCODE_INSPECTOR_OPTIONS",
  "TSC_NONPOLLING_WATCHER",
  "TSC_WATCHFILE",
  "TSC_WATCHDIRECTORY",
  ...["LOW", "MEDIUM", "HIGH"].flatMap((level) => [
    `TSC_WATCH_POLLINGINTERVAL_${level}`,
    `TSC_WATCH_POLLINGCHUNKSIZE_${level}`,
    `TSC_WATCH_UNCHANGEDPOLLTHRESHOLDS_${level}`,
  ]),
];

/** Options of {@link LanguageWorker}. */
export interface LanguageWorkerOptions {
  /** The worker module (default: `language_worker.ts`; tests pass a scripted one). */
  workerUrl?: URL;
  /** Folder the worker may read (default: the repository root). */
  root?: string;
  /** Longest a request may take once sent, before the worker is restarted (default 60 s). */
  timeoutMs?: number;
  /**
   * Longest the first request to a newly started worker may take, loading included (default:
   * `timeoutMs`). Tests inject a short `timeoutMs` and a generous start allowance, so a loaded
   * machine's slow worker start is not mistaken for a hang.
   */
  startupTimeoutMs?: number;
}

/** An answer of the worker: the result and the worker's own time for it (ms). */
export interface LanguageAnswer<A extends LanguageAction> {
  result: LanguageResults[A];
  ms: number;
}

interface Waiter {
  resolve(answer: LanguageAnswer<LanguageAction>): void;
  reject(error: Error): void;
}

interface Job {
  query: LanguageQuery;
  waiters: Waiter[];
}

/** Whether this process may narrow a worker's permissions (see the module documentation). */
function canNarrowPermissions(): boolean {
  try {
    return Deno.readTextFileSync("/proc/self/cmdline").split("\0").includes(
      "--unstable-worker-options",
    );
  } catch {
    return false;
  }
}

/** The language service in a worker; see the module documentation. */
export class LanguageWorker {
  readonly #url: URL;
  readonly #root: string;
  readonly #timeoutMs: number;
  readonly #startupTimeoutMs: number;
  /** Whether the running worker has answered anything yet (its start is behind it). */
  #hasAnswered = false;
  #worker: Worker | null = null;
  #queue: Job[] = [];
  #inFlight: { id: number; job: Job; timer: ReturnType<typeof setTimeout> } | null = null;
  #nextId = 1;
  #starts = 0;
  #closed = false;

  constructor(options: LanguageWorkerOptions = {}) {
    this.#url = options.workerUrl ?? new URL("./language_worker.ts", import.meta.url);
    this.#root = options.root ?? REPO_ROOT;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#startupTimeoutMs = options.startupTimeoutMs ?? this.#timeoutMs;
  }

  /** How many workers have been started (1 after the first question; more after crashes). */
  get starts(): number {
    return this.#starts;
  }

  /** Whether a worker is running now. */
  get isRunning(): boolean {
    return this.#worker !== null;
  }

  /**
   * Asks the worker one question. A diagnostics question for a cell that is still queued
   * replaces the queued one; both callers get the newer answer.
   */
  ask<A extends LanguageAction>(query: LanguageQuery & { action: A }): Promise<LanguageAnswer<A>> {
    if (this.#closed) {
      return Promise.reject(new Error("The language worker is closed; no more questions"));
    }
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject } as Waiter;
      const superseded = query.action === "diagnostics"
        ? this.#queue.find((job) =>
          job.query.action === "diagnostics" && job.query.lessonId === query.lessonId &&
          job.query.cellId === query.cellId
        )
        : undefined;
      if (superseded !== undefined) {
        superseded.query = query;
        superseded.waiters.push(waiter);
      } else {
        this.#queue.push({ query, waiters: [waiter] });
      }
      this.#pump();
    });
  }

  /** Stops the worker and fails every question still waiting. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop(new Error("The language worker was closed before it answered"));
    const queued = this.#queue;
    this.#queue = [];
    for (const job of queued) {
      for (const waiter of job.waiters) {
        waiter.reject(new Error("The language worker was closed before it answered"));
      }
    }
  }

  #start(): Worker {
    const options: WorkerOptions = { type: "module", name: "gradbook-language-worker" };
    if (canNarrowPermissions()) {
      options.deno = {
        permissions: {
          read: [this.#root],
          env: [...TYPESCRIPT_ENV],
          net: false,
          run: false,
          write: false,
          ffi: false,
          sys: false,
          import: false,
        },
      };
    }
    const worker = new Worker(this.#url, options);
    this.#starts++;
    this.#hasAnswered = false;
    worker.onmessage = (event: MessageEvent<LanguageReply>) => this.#settle(event.data);
    worker.onerror = (event: ErrorEvent) => {
      // NOTE: without preventDefault an uncaught error in the worker ends the whole server
      event.preventDefault();
      if (this.#worker !== worker) return;
      this.#crash(new Error(`The language worker crashed: ${event.message}`));
    };
    worker.onmessageerror = () => {
      if (this.#worker !== worker) return;
      this.#crash(new Error("The language worker sent a message that could not be read"));
    };
    return worker;
  }

  /** Sends the next queued question when none is in flight. */
  #pump(): void {
    if (this.#closed || this.#inFlight !== null) return;
    const job = this.#queue.shift();
    if (job === undefined) return;
    this.#worker ??= this.#start();
    const id = this.#nextId++;
    const limitMs = this.#hasAnswered ? this.#timeoutMs : this.#startupTimeoutMs;
    const timer = setTimeout(() => {
      this.#crash(
        new Error(
          `The language worker did not answer ${job.query.action} within ${limitMs} ms; ` +
            "it was restarted",
        ),
      );
    }, limitMs);
    this.#inFlight = { id, job, timer };
    const request: LanguageRequest = { ...job.query, id };
    this.#worker.postMessage(request);
  }

  #settle(reply: LanguageReply): void {
    const inFlight = this.#inFlight;
    if (inFlight === null || inFlight.id !== reply.id) return; // an answer after a restart
    clearTimeout(inFlight.timer);
    this.#inFlight = null;
    this.#hasAnswered = true;
    for (const waiter of inFlight.job.waiters) {
      if (reply.ok) waiter.resolve({ result: reply.result, ms: reply.ms });
      else {
        const error = new Error(`The language service failed: ${reply.message}`);
        error.name = reply.errorName;
        waiter.reject(error);
      }
    }
    this.#pump();
  }

  /** Fails the question in flight, drops the worker, and starts a new one for the queue. */
  #crash(error: Error): void {
    this.#stop(error);
    this.#pump();
  }

  #stop(error: Error): void {
    const inFlight = this.#inFlight;
    this.#inFlight = null;
    this.#worker?.terminate();
    this.#worker = null;
    if (inFlight === null) return;
    clearTimeout(inFlight.timer);
    for (const waiter of inFlight.job.waiters) waiter.reject(error);
  }
}
