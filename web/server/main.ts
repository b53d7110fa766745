/**
 * `deno task serve`: starts the notebook server on 127.0.0.1 (port 8000, or the next free one)
 * and prints the URL to open. Ctrl+C or SIGTERM stops every kernel and exits cleanly.
 *
 * Usage: `deno task serve [--port N] [--data DIR] [--lessons DIR] [--host ADDR] [--no-token]
 * [--max-kernels N] [--kernel-idle-timeout SECONDS] [--kernel-threads N] [--spare-kernels N]
 * [--compile-cells host|kernel]`; the data folder defaults to
 * `$GRADBOOK_DATA`, else `$XDG_DATA_HOME/gradbook`, else `~/.local/share/gradbook`.
 *
 * The printed URL carries a fresh random token (`?token=…`), which the browser trades for a
 * cookie derived from the data folder's `cookie_secret` (so it outlives a restart);
 * `--no-token` turns that off and `--host` listens beyond loopback, both with a warning.
 * At most `--max-kernels` kernels (default 10) run at once; a kernel idle for
 * `--kernel-idle-timeout` seconds (default 3600) is stopped. Each kernel's matrix products and
 * convolutions use all cores but one, at most `--kernel-threads` (default: no cap). `--exchange DIR` (or
 * `$GRADBOOK_EXCHANGE`) adds a "Submit" button that leaves the learner's progress there.
 * `--spare-kernels` kernels (default 1; 0 for none) are kept started ahead of need, so a lesson
 * page that opens gets a ready kernel (one more idle kernel process's memory).
 * `--compile-cells host` (the default) compiles every kernel's cells on one thread of the server
 * (`notebook/kernel/cell_compiler.ts`): kernels start faster and 35 MiB lighter each, for about
 * 70 MiB once in the server; `kernel` makes each kernel compile its own cells (a server that only
 * ever runs one kernel, with no spare, uses less memory that way).
 *
 * **JupyterHub mode**: started by a JupyterHub spawner (`JUPYTERHUB_API_TOKEN` and
 * `JUPYTERHUB_SERVICE_PREFIX` set), the server listens where `JUPYTERHUB_SERVICE_URL` says,
 * serves everything under the prefix, logs users in through the hub by OAuth (`hub/oauth.ts`)
 * instead of the token, and reports activity to the hub (`hub/activity.ts`); `--port`, `--host`
 * and `--no-token` do not apply.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KernelProcess } from "../../notebook/kernel/kernel_process.ts";
import { startServer } from "./app.ts";
import { generateToken, securityWarnings } from "./security.ts";
import { REPO_ROOT } from "./build_client.ts";
import { hubConfigFromEnv, isHubMode } from "./hub/config.ts";
import { HubAuth } from "./hub/oauth.ts";
import { ActivityReporter } from "./hub/activity.ts";

/** The default data folder from the environment. */
export function defaultDataDir(env: (name: string) => string | undefined = Deno.env.get): string {
  const explicit = env("GRADBOOK_DATA");
  if (explicit) return explicit;
  const xdg = env("XDG_DATA_HOME");
  if (xdg) return join(xdg, "gradbook");
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) throw new Error("Cannot choose a data folder: set GRADBOOK_DATA or pass --data DIR");
  return join(home, ".local", "share", "gradbook");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string", default: "8000" },
      data: { type: "string" },
      lessons: { type: "string", default: join(REPO_ROOT, "lessons") },
      host: { type: "string", default: "127.0.0.1" },
      "no-token": { type: "boolean", default: false },
      "max-kernels": { type: "string", default: "10" },
      "kernel-idle-timeout": { type: "string", default: "3600" },
      exchange: { type: "string" },
      "kernel-threads": { type: "string" },
      "spare-kernels": { type: "string", default: "1" },
      "compile-cells": { type: "string", default: "host" },
    },
  });
  const compileCells = values["compile-cells"];
  if (compileCells !== "host" && compileCells !== "kernel") {
    console.error(`--compile-cells must be "host" or "kernel", got "${compileCells}"`);
    Deno.exit(2);
  }
  const kernelThreads = values["kernel-threads"] === undefined
    ? 0
    : Number(values["kernel-threads"]);
  if (
    !Number.isInteger(kernelThreads) ||
    (values["kernel-threads"] !== undefined && kernelThreads < 1)
  ) {
    console.error(
      `--kernel-threads must be a whole number of at least 1, got "${values["kernel-threads"]}"`,
    );
    Deno.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
    Deno.exit(2);
  }
  const spareKernels = Number(values["spare-kernels"]);
  if (!Number.isInteger(spareKernels) || spareKernels < 0) {
    console.error(
      `--spare-kernels must be a whole number of at least 0, got "${values["spare-kernels"]}"`,
    );
    Deno.exit(2);
  }
  const maxKernels = Number(values["max-kernels"]);
  const idleSeconds = Number(values["kernel-idle-timeout"]);
  if (!Number.isInteger(maxKernels) || maxKernels < 1) {
    console.error(
      `--max-kernels must be a whole number of at least 1, got "${values["max-kernels"]}"`,
    );
    Deno.exit(2);
  }
  if (!Number.isFinite(idleSeconds) || idleSeconds <= 0) {
    console.error(
      `--kernel-idle-timeout must be a number of seconds above 0, got "${
        values["kernel-idle-timeout"]
      }"`,
    );
    Deno.exit(2);
  }
  const env = (name: string) => Deno.env.get(name);
  const hub = isHubMode(env) ? hubConfigFromEnv(env) : null;
  const token = values["no-token"] || hub !== null ? null : generateToken();
  if (hub === null) {
    for (const line of securityWarnings({ token, hostname: values.host })) console.error(line);
  }
  const dataDir = values.data ?? defaultDataDir(env);
  const exchangeDir = values.exchange ?? env("GRADBOOK_EXCHANGE");
  if (exchangeDir !== undefined) await Deno.mkdir(exchangeDir, { recursive: true });
  const auth = hub === null ? null : new HubAuth(hub);
  const activity = hub?.activityUrl == null ? null : new ActivityReporter({
    url: hub.activityUrl,
    token: hub.apiToken,
    serverName: hub.serverName,
    intervalMs: hub.activityIntervalSeconds * 1000,
  });
  const server = await startServer({
    lessonsDir: values.lessons,
    dataDir,
    hostname: hub?.hostname ?? values.host,
    port: hub?.port ?? port,
    portAttempts: hub === null ? undefined : 1,
    createKernel: () => new KernelProcess({ threads: kernelThreads, compileCells }),
    spareKernels,
    security: hub === null ? { token } : { token: null, behindProxy: true },
    limits: { maxKernels, idleTimeoutMs: idleSeconds * 1000 },
    basePath: hub?.prefix,
    authenticate: auth === null ? undefined : (request) => auth.authenticate(request),
    onActivity: activity === null ? undefined : () => activity.note(),
    exchange: exchangeDir === undefined
      ? undefined
      : { dir: exchangeDir, learner: env("USER") ?? "learner" },
  });
  activity?.start();
  const where = `data: ${dataDir}${exchangeDir === undefined ? "" : `; exchange: ${exchangeDir}`}`;
  if (hub === null) {
    console.log(`gradbook is running at ${server.openUrl}  (${where}; Ctrl+C to stop)`);
  } else {
    console.log(
      `gradbook is serving ${hub.user}'s notebook at ${server.url} for JupyterHub (${where})`,
    );
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping gradbook: closing kernels…");
    const timer = setTimeout(() => {
      console.error("Kernels did not stop within 5 s; exiting anyway");
      Deno.exit(1);
    }, 5000);
    await activity?.stop();
    auth?.clear();
    await server.shutdown();
    clearTimeout(timer);
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}

if (import.meta.main) await main();
