/**
 * The server's secrets: the one-time login token printed in the URL, and the data folder's
 * cookie secret (as Jupyter's), from which login cookies are derived so that they outlive a
 * restart.
 *
 * @module
 */
import { join } from "node:path";

/**
 * A fresh random token: 24 bytes from the system's CSPRNG, as 48 hex digits.
 *
 * @example
 * ```ts
 * import { generateToken } from "./secrets.ts";
 * console.log(generateToken().length); // 48
 * ```
 */
export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Name of the cookie secret's file in the data folder. */
export const COOKIE_SECRET_FILE = "cookie_secret";

/**
 * The data folder's cookie secret: read from `cookie_secret`, or made (32 random bytes as hex)
 * and written there readable by its owner only (0600). A file others may read is made private.
 *
 * @example
 * ```ts
 * import { loadCookieSecret } from "./secrets.ts";
 * const dir = Deno.makeTempDirSync();
 * const secret = loadCookieSecret(dir);
 * console.log(secret === loadCookieSecret(dir), secret.length); // true 64
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function loadCookieSecret(dataDir: string): string {
  const path = join(dataDir, COOKIE_SECRET_FILE);
  try {
    const text = Deno.readTextFileSync(path).trim();
    if (/^[0-9a-f]{64}$/.test(text)) {
      if (Deno.build.os !== "windows" && ((Deno.statSync(path).mode ?? 0) & 0o077) !== 0) {
        Deno.chmodSync(path, 0o600);
      }
      return text;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  Deno.mkdirSync(dataDir, { recursive: true });
  const secret = generateToken() + generateToken().slice(0, 16);
  Deno.writeTextFileSync(path, secret + "\n", { mode: 0o600 });
  if (Deno.build.os !== "windows") Deno.chmodSync(path, 0o600);
  return secret;
}
