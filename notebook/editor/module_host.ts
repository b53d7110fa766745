/**
 * How the language service finds files outside the virtual cells: the runtime's sources
 * (resolved through `deno.json`'s import map, as the kernel resolves them), npm packages in
 * `node_modules/`, and TypeScript's own lib files. Files are read once and cached: the runtime
 * does not change while the server runs.
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root (two folders above this file). */
export const REPO_ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Folder of TypeScript's `lib.*.d.ts` files. */
export const TS_LIB_DIR: string = join(
  dirname(createRequire(join(REPO_ROOT, "deno.json")).resolve("typescript/package.json")),
  "lib",
);

const EXTENSIONS: [string, ts.Extension][] = [
  [".d.ts", ts.Extension.Dts],
  [".tsx", ts.Extension.Tsx],
  [".ts", ts.Extension.Ts],
  [".mts", ts.Extension.Mts],
  [".js", ts.Extension.Js],
  [".mjs", ts.Extension.Mjs],
];

/** Reads and resolves the files of the program that are not cells. */
export class ModuleHost {
  readonly #texts = new Map<string, string | undefined>();
  readonly #snapshots = new Map<string, ts.IScriptSnapshot>();
  readonly #imports: Record<string, string>;
  readonly #resolutionCache: ts.ModuleResolutionCache;

  constructor(readonly root: string, readonly options: ts.CompilerOptions) {
    const config = JSON.parse(Deno.readTextFileSync(join(root, "deno.json"))) as {
      imports?: Record<string, string>;
    };
    this.#imports = config.imports ?? {};
    this.#resolutionCache = ts.createModuleResolutionCache(root, (name) => name, options);
  }

  /** The text of a file on disk, cached (undefined when it does not exist). */
  readFile(fileName: string): string | undefined {
    if (this.#texts.has(fileName)) return this.#texts.get(fileName);
    let text: string | undefined;
    try {
      text = Deno.readTextFileSync(fileName);
    } catch {
      text = undefined;
    }
    this.#texts.set(fileName, text);
    return text;
  }

  /** Whether a file exists on disk (cached with its text). */
  fileExists(fileName: string): boolean {
    return this.readFile(fileName) !== undefined;
  }

  /** A snapshot of a file on disk, made once. */
  snapshot(fileName: string): ts.IScriptSnapshot | undefined {
    const cached = this.#snapshots.get(fileName);
    if (cached !== undefined) return cached;
    const text = this.readFile(fileName);
    if (text === undefined) return undefined;
    const snapshot = ts.ScriptSnapshot.fromString(text);
    this.#snapshots.set(fileName, snapshot);
    return snapshot;
  }

  /**
   * Resolves an import as Deno does for the kernel: relative paths with their extension, the
   * import map's exact and prefix entries, `npm:` packages from `node_modules/`.
   */
  resolve(specifier: string, containingFile: string): ts.ResolvedModuleFull | undefined {
    if (/^\.{0,2}\//.test(specifier)) {
      return this.#local(resolve(dirname(containingFile), specifier));
    }
    let target = this.#imports[specifier];
    if (target === undefined) {
      const prefix = Object.keys(this.#imports)
        .filter((key) => key.endsWith("/") && specifier.startsWith(key))
        .sort((a, b) => b.length - a.length)[0];
      if (prefix !== undefined) target = this.#imports[prefix] + specifier.slice(prefix.length);
    }
    target ??= specifier;
    if (target.startsWith("./") || target.startsWith("../")) {
      return this.#local(join(this.root, target));
    }
    if (!target.startsWith("npm:")) return undefined;
    // npm:name@range/sub, npm:@scope/name@range/sub, npm:/name@range/sub
    const match = target.slice(4).replace(/^\//, "").match(
      /^((?:@[^/@]+\/)?[^/@]+)(?:@[^/]*)?(\/.*)?$/,
    );
    if (match === null) return undefined;
    const name = match[1]! + (match[2] ?? "").replace(/\/$/, "");
    const host: ts.ModuleResolutionHost = {
      fileExists: (f) => this.fileExists(f),
      readFile: (f) => this.readFile(f),
      directoryExists: ts.sys.directoryExists,
      realpath: ts.sys.realpath,
      getCurrentDirectory: () => this.root,
    };
    return ts.resolveModuleName(
      name,
      join(this.root, "deno.json"),
      this.options,
      host,
      this.#resolutionCache,
    ).resolvedModule;
  }

  #local(path: string): ts.ResolvedModuleFull | undefined {
    const extension = EXTENSIONS.find(([ext]) => path.endsWith(ext))?.[1];
    if (extension === undefined || !this.fileExists(path)) return undefined;
    return { resolvedFileName: path, extension, isExternalLibraryImport: false };
  }
}
