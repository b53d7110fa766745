/**
 * `deno task prepare`: fetches every npm package that `deno.json` names (the browser bundle's,
 * the datasets', the kernel's) into `node_modules/` and Deno's cache, so that a kernel started
 * with `--cached-only` (no network, by design) finds everything it loads. Every task that starts
 * a kernel or builds something runs it first (through `build:wasm`).
 *
 * The first run on a machine prints one line and downloads quietly; later runs compare a stamp
 * (the hash of `deno.json` and `deno.lock`, Deno's version and `DENO_DIR`) and return at once.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const STAMP = new URL("node_modules/.gradbook-prepared", ROOT);

/** What the prepared packages depend on: when any of it changes, prepare again. */
export async function preparationKey(): Promise<string> {
  const parts = [
    await Deno.readTextFile(new URL("deno.json", ROOT)),
    await readOrEmpty(new URL("deno.lock", ROOT)),
    Deno.version.deno,
    Deno.env.get("DENO_DIR") ?? "",
  ];
  const bytes = new TextEncoder().encode(parts.join("\0"));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function readOrEmpty(url: URL): Promise<string> {
  try {
    return await Deno.readTextFile(url);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}

/** Whether the packages were prepared for exactly this configuration. */
export async function isPrepared(): Promise<boolean> {
  return await readOrEmpty(STAMP) === await preparationKey();
}

/**
 * Installs the packages unless the stamp says they are current. Returns whether it installed.
 * Throws with Deno's own message when the install fails (offline on a first run, say).
 */
export async function prepare({ force = false } = {}): Promise<boolean> {
  if (!force && await isPrepared()) return false;
  console.error(
    "gradbook: preparing packages (first run only; about a minute on a 2-core machine)…",
  );
  const started = performance.now();
  const install = await new Deno.Command(Deno.execPath(), {
    args: ["install", "--quiet"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!install.success) {
    const detail = new TextDecoder().decode(install.stderr).trim();
    throw new Error(
      `deno install failed (exit code ${install.code}); the first run needs the npm registry.\n` +
        detail,
    );
  }
  await Deno.writeTextFile(STAMP, await preparationKey());
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.error(`gradbook: packages ready in ${seconds} s.`);
  return true;
}

if (import.meta.main) {
  try {
    await prepare({ force: Deno.args.includes("--force") });
  } catch (error) {
    console.error(`gradbook: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
