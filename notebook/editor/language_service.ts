/**
 * Editor intelligence for notebook cells: a TypeScript `LanguageService` over an in-memory
 * host that sees each lesson's cells as one program in execution order
 * (`virtual_program.ts`), with the runtime's real types (`module_host.ts`). It answers
 * diagnostics, completions, hover and signature help in the coordinates of one cell's own
 * source. Diagnostics are advisory: the kernel runs a cell whatever they say.
 *
 * One service holds every lesson; an update changes only the files of the cells whose text
 * changed, so TypeScript reuses everything else.
 *
 * @module
 */
import { join } from "node:path";
import ts from "typescript";
import { CELL_COMPILER_OPTIONS, IGNORED_DIAGNOSTICS } from "./cell_compiler_options.ts";
import {
  clamp,
  cleanSignature,
  completionType,
  firstParagraph,
  shorten,
  typeOfSignature,
} from "./completion_text.ts";
import { ModuleHost, REPO_ROOT, TS_LIB_DIR } from "./module_host.ts";
import { buildVirtualProgram, type ProgramCell, type VirtualCellFile } from "./virtual_program.ts";
import type {
  CellCompletion,
  CellCompletions,
  CellDiagnostic,
  CellHover,
  CellSignatureHelp,
} from "./types.ts";

export type { ProgramCell } from "./virtual_program.ts";
export { lessonProgramCells } from "./lesson_cells.ts";
export { CELL_COMPILER_OPTIONS } from "./cell_compiler_options.ts";

/**
 * Most completion entries returned, and how many of them carry their signature and docs (each
 * costs ~2 ms; the client asks for the others when they are selected).
 */
const MAX_COMPLETIONS = 300;
const MAX_DETAILED_COMPLETIONS = 16;

interface CellFileState {
  file: VirtualCellFile;
  version: number;
  snapshot: ts.IScriptSnapshot;
}

/** Options of {@link CellLanguageService}. */
export interface CellLanguageServiceOptions {
  /** The repository whose `deno.json` and runtime the cells import (default: this one). */
  root?: string;
}

/** The language service for every lesson's cells; see the module documentation. */
export class CellLanguageService {
  readonly #root: string;
  readonly #host: ModuleHost;
  readonly #service: ts.LanguageService;
  /** Lesson id -> its cells' files, by cell id. */
  readonly #lessons = new Map<string, Map<string, CellFileState>>();
  /** File name -> state, for every cell file of every lesson. */
  readonly #files = new Map<string, CellFileState>();
  #projectVersion = 0;

  constructor(options: CellLanguageServiceOptions = {}) {
    this.#root = options.root ?? REPO_ROOT;
    this.#host = new ModuleHost(this.#root, CELL_COMPILER_OPTIONS);
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => CELL_COMPILER_OPTIONS,
      getProjectVersion: () => String(this.#projectVersion),
      getScriptFileNames: () => [...this.#files.keys()],
      getScriptVersion: (fileName) => String(this.#files.get(fileName)?.version ?? 0),
      getScriptSnapshot: (fileName) =>
        this.#files.get(fileName)?.snapshot ?? this.#host.snapshot(fileName),
      getCurrentDirectory: () => this.#root,
      getDefaultLibFileName: (options) => join(TS_LIB_DIR, ts.getDefaultLibFileName(options)),
      fileExists: (fileName) => this.#files.has(fileName) || this.#host.fileExists(fileName),
      readFile: (fileName) => this.#files.get(fileName)?.file.text ?? this.#host.readFile(fileName),
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      resolveModuleNameLiterals: (literals, containingFile) =>
        literals.map((literal) => ({
          resolvedModule: this.#resolve(literal.text, containingFile),
        })),
    };
    this.#service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  #resolve(specifier: string, containingFile: string): ts.ResolvedModuleFull | undefined {
    if (specifier.startsWith("./") && this.#files.has(containingFile)) {
      const fileName = join(containingFile, "..", specifier);
      if (this.#files.has(fileName)) {
        return { resolvedFileName: fileName, extension: ts.Extension.Ts };
      }
    }
    return this.#host.resolve(specifier, containingFile);
  }

  /**
   * Sets a lesson's cells (all of them, in execution order). Only cells whose file text
   * changed get a new version; a lesson whose cells are all unchanged costs nothing.
   */
  setCells(lessonId: string, cells: ProgramCell[]): void {
    const dir = join(this.#root, ".cells", lessonId.replace(/[^A-Za-z0-9_-]/g, "_"));
    const files = buildVirtualProgram(dir, cells);
    const previous = this.#lessons.get(lessonId) ?? new Map<string, CellFileState>();
    const next = new Map<string, CellFileState>();
    let changed = files.length !== previous.size;
    for (const file of files) {
      const old = previous.get(file.cellId);
      if (old !== undefined && old.file.text === file.text && old.file.fileName === file.fileName) {
        old.file = file;
        next.set(file.cellId, old);
        continue;
      }
      changed = true;
      next.set(file.cellId, {
        file,
        version: (old?.version ?? 0) + 1,
        snapshot: ts.ScriptSnapshot.fromString(file.text),
      });
    }
    if (!changed) return;
    for (const state of previous.values()) this.#files.delete(state.file.fileName);
    for (const state of next.values()) this.#files.set(state.file.fileName, state);
    this.#lessons.set(lessonId, next);
    this.#projectVersion++;
  }

  /** Whether the service knows this lesson's cells. */
  hasLesson(lessonId: string): boolean {
    return this.#lessons.has(lessonId);
  }

  #cell(lessonId: string, cellId: string): VirtualCellFile {
    const state = this.#lessons.get(lessonId)?.get(cellId);
    if (state === undefined) {
      const known = [...(this.#lessons.get(lessonId)?.keys() ?? [])].join(", ") || "none";
      throw new RangeError(
        `No cell "${cellId}" in lesson "${lessonId}" (cells known: ${known})`,
      );
    }
    return state.file;
  }

  /** Syntax and type errors of one cell, in the cell's own coordinates. */
  diagnostics(lessonId: string, cellId: string): CellDiagnostic[] {
    const file = this.#cell(lessonId, cellId);
    const all = [
      ...this.#service.getSyntacticDiagnostics(file.fileName),
      ...this.#service.getSemanticDiagnostics(file.fileName),
    ];
    const source = this.#service.getProgram()?.getSourceFile(file.fileName);
    const result: CellDiagnostic[] = [];
    for (const diagnostic of all) {
      if (IGNORED_DIAGNOSTICS.has(diagnostic.code)) continue;
      const start = clamp((diagnostic.start ?? 0) - file.offset, 0, file.length);
      const end = clamp(
        (diagnostic.start ?? 0) + (diagnostic.length ?? 0) - file.offset,
        start,
        file.length,
      );
      const at = source?.getLineAndCharacterOfPosition(start + file.offset);
      result.push({
        from: start,
        to: end,
        line: at?.line ?? 1,
        column: (at?.character ?? 0) + 1,
        severity: diagnostic.category === ts.DiagnosticCategory.Error ? "error" : "warning",
        code: diagnostic.code,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
      });
    }
    return result;
  }

  /** Completions at `offset` of a cell, filtered by the word before the cursor. */
  completions(lessonId: string, cellId: string, offset: number): CellCompletions | null {
    const file = this.#cell(lessonId, cellId);
    const position = file.offset + clamp(offset, 0, file.length);
    const info = this.#service.getCompletionsAtPosition(file.fileName, position, {
      includeCompletionsWithInsertText: true,
      includeCompletionsWithClassMemberSnippets: false,
      includeCompletionsForModuleExports: false,
    }, {});
    if (info === undefined) return null;
    const text = file.text;
    let from = position;
    while (from > file.offset && /[\w$]/.test(text[from - 1]!)) from--;
    const word = text.slice(from, position).toLowerCase();
    const entries = info.entries
      .filter((entry) => entry.name.toLowerCase().startsWith(word))
      .filter((entry) => !entry.name.startsWith("__gb"))
      .sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name))
      .slice(0, MAX_COMPLETIONS);
    const options: CellCompletion[] = entries.map((entry, index) => {
      const option: CellCompletion = {
        label: entry.name,
        type: completionType(entry.kind),
        boost: clamp(-Number.parseInt(entry.sortText, 10) || 0, -99, 99),
      };
      if (entry.insertText !== undefined && entry.insertText !== entry.name) {
        option.apply = entry.insertText;
      }
      if (entry.kind === ts.ScriptElementKind.alias) {
        // A re-export (`nn.Linear`): its real kind needs the details; guess until then.
        option.type = /^[A-Z]/.test(entry.name) ? "class" : "variable";
      }
      if (index < MAX_DETAILED_COMPLETIONS) {
        Object.assign(option, this.#entryDetails(file, position, entry));
        if (option.info !== undefined) option.type = typeOfSignature(option.info, option.type);
      }
      return option;
    });
    return { from: from - file.offset, to: offset, isMember: info.isMemberCompletion, options };
  }

  /** The signature and documentation of one completion entry (for lazily shown info). */
  completionDetails(
    lessonId: string,
    cellId: string,
    offset: number,
    name: string,
  ): { detail?: string; info?: string } {
    const file = this.#cell(lessonId, cellId);
    const position = file.offset + clamp(offset, 0, file.length);
    return this.#entryDetails(file, position, { name });
  }

  #entryDetails(
    file: VirtualCellFile,
    position: number,
    entry: Pick<ts.CompletionEntry, "name" | "source" | "data">,
  ): { detail?: string; info?: string } {
    const details = this.#service.getCompletionEntryDetails(
      file.fileName,
      position,
      entry.name,
      {},
      entry.source,
      {},
      entry.data,
    );
    if (details === undefined) return {};
    const signature = cleanSignature(ts.displayPartsToString(details.displayParts));
    const docs = ts.displayPartsToString(details.documentation);
    const summary = firstParagraph(docs);
    return {
      detail: shorten(signature.replace(/\s+/g, " "), 80),
      info: summary === "" ? signature : `${signature}\n\n${summary}`,
    };
  }

  /** Type and documentation of the name at `offset` of a cell. */
  hover(lessonId: string, cellId: string, offset: number): CellHover | null {
    const file = this.#cell(lessonId, cellId);
    const position = file.offset + clamp(offset, 0, file.length);
    const info = this.#service.getQuickInfoAtPosition(file.fileName, position);
    if (info === undefined) return null;
    const from = clamp(info.textSpan.start - file.offset, 0, file.length);
    const to = clamp(info.textSpan.start + info.textSpan.length - file.offset, from, file.length);
    const tags = (info.tags ?? [])
      .filter((tag) => tag.name !== "example")
      .map((tag) => `@${tag.name} ${ts.displayPartsToString(tag.text)}`.trim());
    const name = file.text.slice(info.textSpan.start, info.textSpan.start + info.textSpan.length);
    const printed = ts.displayPartsToString(info.displayParts);
    let signature = cleanSignature(printed);
    if (info.kind === ts.ScriptElementKind.alias) {
      // Names from other cells are imports here: `(alias) f(x: number): void` / `import nn`.
      const kind = this.#service.getDefinitionAtPosition(file.fileName, position)?.[0]?.kind;
      if (signature === "") {
        signature = kind === ts.ScriptElementKind.moduleElement ? `namespace ${name}` : printed;
      } else if (kind === ts.ScriptElementKind.functionElement && !/^function /.test(signature)) {
        signature = `function ${signature}`;
      }
    }
    const hover: CellHover = {
      from,
      to,
      signature,
      documentation: ts.displayPartsToString(info.documentation),
      tags,
    };
    if (/^[A-Za-z_$][\w$]*$/.test(name) && this.#isTopLevel(file, name, info)) {
      hover.name = name;
    }
    return hover;
  }

  /** Whether a hovered name is a top-level variable of the lesson (so the kernel knows it). */
  #isTopLevel(file: VirtualCellFile, name: string, info: ts.QuickInfo): boolean {
    if (!["const", "let", "var", "alias"].includes(info.kind)) return false;
    const definitions = this.#service.getDefinitionAtPosition(file.fileName, info.textSpan.start);
    return definitions?.some((d) => this.#files.has(d.fileName) && d.name === name) ?? false;
  }

  /** Signature help (parameter hints) at `offset` of a cell. */
  signatureHelp(lessonId: string, cellId: string, offset: number): CellSignatureHelp | null {
    const file = this.#cell(lessonId, cellId);
    const position = file.offset + clamp(offset, 0, file.length);
    const items = this.#service.getSignatureHelpItems(file.fileName, position, {});
    if (items === undefined) return null;
    return {
      activeSignature: items.selectedItemIndex,
      activeParameter: items.argumentIndex,
      signatures: items.items.map((item) => {
        let label = ts.displayPartsToString(item.prefixDisplayParts);
        const parameters = item.parameters.map((parameter, index) => {
          if (index > 0) label += ts.displayPartsToString(item.separatorDisplayParts);
          const from = label.length;
          label += ts.displayPartsToString(parameter.displayParts);
          return {
            from,
            to: label.length,
            documentation: ts.displayPartsToString(parameter.documentation),
          };
        });
        label += ts.displayPartsToString(item.suffixDisplayParts);
        return {
          label,
          parameters,
          documentation: firstParagraph(ts.displayPartsToString(item.documentation)),
        };
      }),
    };
  }
}
