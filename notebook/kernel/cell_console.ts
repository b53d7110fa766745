/**
 * A `console` for cells that formats like Deno's and writes into the kernel's output streams
 * through a callback, so the kernel can batch and truncate output.
 *
 * @module
 */
import { inspectValue } from "../../runtime/display/mime.ts";

/** Receives formatted text for stdout or stderr. */
export type StreamWriter = (name: "stdout" | "stderr", text: string) => void;

/** Formats `console.log` arguments: printf-style `%s %d %i %f %o %O %j %c`, then inspect. */
export function formatConsoleArgs(args: unknown[]): string {
  const first = args[0];
  let rest = args.slice(1);
  let head: string;
  if (typeof first === "string" && rest.length > 0 && first.includes("%")) {
    head = first.replace(/%([sdifoOjc%])/g, (match, spec: string) => {
      if (spec === "%") return "%";
      if (rest.length === 0) return match;
      const [value, ...others] = rest;
      rest = others;
      switch (spec) {
        case "s":
          return typeof value === "string" ? value : inspectValue(value);
        case "d":
        case "i":
          return typeof value === "bigint"
            ? `${value}n`
            : String(spec === "i" ? Math.trunc(Number(value)) : Number(value));
        case "f":
          return String(Number(value));
        case "c":
          return "";
        default:
          return Deno.inspect(value, { colors: false, depth: 4 });
      }
    });
  } else {
    head = inspectValue(first);
  }
  if (args.length === 0) return "";
  return [head, ...rest.map(inspectValue)].join(" ");
}

/** Builds a console whose output goes to `write`. */
export function createCellConsole(write: StreamWriter): Console {
  let indent = "";
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const out = (name: "stdout" | "stderr", args: unknown[]) => {
    const text = formatConsoleArgs(args);
    write(name, (indent ? text.replace(/^/gm, indent) : text) + "\n");
  };
  const log = (...args: unknown[]) => out("stdout", args);
  const error = (...args: unknown[]) => out("stderr", args);
  const cellConsole = {
    log,
    info: log,
    debug: log,
    dir: (value: unknown) => out("stdout", [Deno.inspect(value, { colors: false, depth: 4 })]),
    dirxml: log,
    table: (data: unknown) => out("stdout", [data]),
    error,
    warn: error,
    trace: (...args: unknown[]) => {
      const stack = (new Error().stack ?? "").split("\n").slice(2).join("\n");
      out("stderr", [`Trace${args.length ? ": " + formatConsoleArgs(args) : ""}\n${stack}`]);
    },
    assert: (condition?: unknown, ...args: unknown[]) => {
      if (!condition) out("stderr", ["Assertion failed" + (args.length ? ":" : ""), ...args]);
    },
    count: (label = "default") => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      log(`${label}: ${n}`);
    },
    countReset: (label = "default") => void counts.delete(label),
    group: (...args: unknown[]) => {
      if (args.length) log(...args);
      indent += "  ";
    },
    groupCollapsed: (...args: unknown[]) => cellConsole.group(...args),
    groupEnd: () => void (indent = indent.slice(2)),
    time: (label = "default") => void timers.set(label, performance.now()),
    timeLog: (label = "default", ...args: unknown[]) => {
      const start = timers.get(label);
      if (start === undefined) return error(`Timer "${label}" does not exist`);
      log(`${label}: ${(performance.now() - start).toFixed(0)}ms`, ...args);
    },
    timeEnd: (label = "default") => {
      cellConsole.timeLog(label);
      timers.delete(label);
    },
    clear: () => {},
    profile: () => {},
    profileEnd: () => {},
    timeStamp: () => {},
  };
  return cellConsole as unknown as Console;
}
