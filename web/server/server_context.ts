/**
 * What the server is started with ({@link ServerOptions}) and what its route handlers share
 * ({@link ServerContext}): the course, the store, the grader, editor intelligence and the
 * kernel registry.
 *
 * @module
 */
import type { Kernel } from "../../notebook/kernel/kernel.ts";
import type { ClientBuild } from "./build_client.ts";
import type { CourseCache } from "./course_cache.ts";
import type { ExerciseGrader, ExerciseGraderOptions } from "./grading.ts";
import type { IntelligenceRoutes } from "./intelligence_routes.ts";
import type { KernelLimits } from "./limits.ts";
import type { KernelRegistry } from "./kernel_registry.ts";
import type { AssetUrls } from "./pages.tsx";
import type { SecurityOptions } from "./security.ts";
import type { PendingScratchRuns } from "./scratch_routes.ts";
import type { Store } from "./store.ts";

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Folder of lesson Markdown files. */
  lessonsDir: string;
  /** Folder for the database. */
  dataDir: string;
  /** Makes a kernel for a lesson (one per open lesson). */
  createKernel: () => Kernel;
  /**
   * Kernels kept started ahead of need (`kernel_spares.ts`; default 0): a lesson page that
   * opens takes one that is ready. `deno task serve` keeps one (`--spare-kernels`).
   */
  spareKernels?: number;
  hostname?: string;
  /** First port to try (0: any free port); the next ones are tried if it is taken. */
  port?: number;
  /** How many ports after `port` to try. */
  portAttempts?: number;
  /** Folder for client builds. */
  buildDir?: string;
  /** How exercises are graded: cell time limit (default 60 s), kernel factory, concurrency. */
  grading?: ExerciseGraderOptions;
  /**
   * Token, Host/Origin and body-size checks (`security.ts`). Without a `token`, token auth is
   * off (tests); `deno task serve` always passes a fresh one unless `--no-token`.
   */
  security?: Partial<SecurityOptions>;
  /**
   * Most live kernels, the one idle policy and queue length per lesson (`kernel_registry.ts`): a kernel
   * with no cell for `idleTimeoutMs` is stopped, and a lesson with no page open for as long
   * closes its session.
   */
  limits?: KernelLimits;
  /** The path everything is served under (JupyterHub's `JUPYTERHUB_SERVICE_PREFIX`); `/`. */
  basePath?: string;
  /**
   * Who is asking (hub mode's OAuth, `hub/oauth.ts`): the user, or the response to send instead
   * (a redirect to log in, a refusal). Runs after the request guard, on the prefix-less URL.
   */
  authenticate?: (request: Request) => Promise<{ name: string } | Response>;
  /** Called on every admitted request and WebSocket message (hub activity reports). */
  onActivity?: () => void;
  /**
   * The exchange folder "Submit" writes to; `learner` names the submitter when `authenticate`
   * does not (local mode).
   */
  exchange?: { dir: string; learner: string };
}

/** What every route handler may use. */
export interface ServerContext {
  options: ServerOptions;
  /** The base path, with a trailing slash (`/`, or `/user/alice/` under JupyterHub). */
  base: string;
  assets: AssetUrls;
  build: ClientBuild;
  courseCache: CourseCache;
  store: Store;
  grader: ExerciseGrader;
  intelligence: IntelligenceRoutes;
  /** Runs of scratch cells whose save has not arrived yet (`scratch_routes.ts`). */
  pendingRuns: PendingScratchRuns;
  kernels: KernelRegistry;
}
