/**
 * JupyterHub's scope check for a single-user server: a user may use this server when a scope
 * the hub granted their token covers any one of the server's access scopes
 * (`JUPYTERHUB_OAUTH_ACCESS_SCOPES`, e.g. `access:servers!server=alice/`).
 *
 * Scope syntax (JupyterHub's RBAC docs, "Scopes in JupyterHub"): `resource` or
 * `resource!kind=name`; an unfiltered scope covers every filtered one of its resource, and a
 * `!user=alice` filter covers each of alice's servers (`!server=alice/…`).
 *
 * @module
 */

function splitScope(scope: string): { base: string; kind: string; name: string } {
  const bang = scope.indexOf("!");
  if (bang < 0) return { base: scope, kind: "", name: "" };
  const filter = scope.slice(bang + 1);
  const eq = filter.indexOf("=");
  return {
    base: scope.slice(0, bang),
    kind: eq < 0 ? filter : filter.slice(0, eq),
    name: eq < 0 ? "" : filter.slice(eq + 1),
  };
}

/**
 * Whether the held scope `held` covers the scope `needed`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../tests/assert.ts";
 * import { scopeCovers } from "./scopes.ts";
 * assertEquals(scopeCovers("access:servers", "access:servers!server=alice/"), true);
 * assertEquals(scopeCovers("access:servers!user=alice", "access:servers!server=alice/"), true);
 * assertEquals(scopeCovers("access:servers!user=bob", "access:servers!server=alice/"), false);
 * ```
 */
export function scopeCovers(held: string, needed: string): boolean {
  if (held === needed) return true;
  const h = splitScope(held);
  const n = splitScope(needed);
  if (h.base !== n.base) return false;
  if (h.kind === "") return true;
  if (h.kind === "user" && n.kind === "server") return n.name.split("/")[0] === h.name;
  return false;
}

/**
 * Whether any held scope covers any of the access scopes (an empty list of access scopes
 * admits nobody).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../tests/assert.ts";
 * import { grantsAccess } from "./scopes.ts";
 * const access = ["access:servers!server=alice/", "access:servers!user=alice"];
 * assertEquals(grantsAccess(["read:users:name!user=alice", "access:servers!server=alice/"], access), true);
 * assertEquals(grantsAccess(["access:servers!server=bob/"], access), false);
 * ```
 */
export function grantsAccess(held: readonly string[], accessScopes: readonly string[]): boolean {
  return accessScopes.some((needed) => held.some((scope) => scopeCovers(scope, needed)));
}
