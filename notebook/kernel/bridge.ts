/**
 * The grading bridge: lets the judge worker (which runs an exercise's checks and hidden tests)
 * use the values the learner's answer declared in the cell worker, without the two ever sharing
 * a realm. Only structured-cloned data crosses, over a private `MessagePort`:
 *
 * - plain values (numbers, strings, arrays, plain objects, typed arrays) are copied;
 * - a function becomes a handle: calling it on the other side sends its (copied) arguments
 *   across, runs it where it lives, and copies the result back; arrays and plain objects passed
 *   as arguments are updated afterwards with what the callee left in its copies, so an answer
 *   may fill a state object like `{ m, v, t }`;
 * - a `Tensor` is copied as data and shape; when the judge passes tensors that require a
 *   gradient and gets a tensor back, `backward()` on the result asks the answer's side for the
 *   gradients of its copies of those tensors.
 *
 * Calls are synchronous (the checks are ordinary synchronous code): the caller posts, then
 * blocks in `Atomics.wait` and reads replies with `receiveMessageOnPort`, serving the other side's
 * requests (callbacks into the judge) while it waits. The answer's side never receives the
 * judge's code, only the arguments its functions are called with.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { receiveMessageOnPort } from "node:worker_threads";
import { InterruptError, Tensor } from "gradbook";
import { recordOp } from "../../runtime/core/autograd.ts";

/** A value as it crosses the bridge. */
export type Encoded =
  | ["v", unknown] // structured-clonable leaf: primitive, typed array, Date, ...
  | ["a", Encoded[]]
  | ["o", [string, Encoded][]]
  | ["f", number]
  | ["t", { data: Float32Array | Float64Array; shape: number[]; grad: boolean; id: number }];

type Request =
  | { kind: "get"; seq: number; name: string }
  | { kind: "call"; seq: number; fn: number; args: Encoded[] }
  | { kind: "backward"; seq: number; tensor: number; grad: Encoded };

type Reply =
  | { kind: "reply"; seq: number; value: Encoded; args?: Encoded[] }
  | { kind: "throw"; seq: number; name: string; message: string };

type Message = Request | Reply;

// Captured before any cell runs: cells may replace globals and prototypes.
const apply = Reflect.apply;
const postOnPort = MessagePort.prototype.postMessage;
const isArray = Array.isArray;
const getPrototypeOf = Object.getPrototypeOf;
const atomicsLoad = Atomics.load;
const atomicsAdd = Atomics.add;
const atomicsWait = Atomics.wait;
const atomicsNotify = Atomics.notify;
const ObjectPrototype = Object.prototype;
const MAX_DEPTH = 64;

/**
 * One side of the bridge. `side` 0 is the cell worker (the answer), 1 the judge.
 *
 * `signal` is shared by both sides: each side waits on its own slot and bumps the other's after
 * posting, so a blocked caller wakes when a reply or a request arrives.
 */
export class BridgeEndpoint {
  readonly #handles = new Map<number, unknown>();
  readonly #ids = new Map<unknown, number>();
  readonly #proxies = new Map<number, (...args: unknown[]) => unknown>();
  /** Per result tensor handle: the leaf copies of the arguments it was computed from. */
  readonly #graphs = new Map<number, Tensor[]>();
  #nextId = 1;
  #nextSeq = 1;

  constructor(
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
    private readonly side: 0 | 1,
    private readonly interruptFlag: Int32Array,
    /** Resolves a global name on the answer's side (side 0 only). */
    private readonly lookup: (name: string) => unknown = () => undefined,
  ) {
    port.onmessage = (event: MessageEvent) => this.#serve(event.data as Message);
  }

  /** Reads a top-level name of the answer's side as a local value (judge side). */
  get(name: string): unknown {
    return this.#request({ kind: "get", seq: 0, name }, []);
  }

  #post(message: Message): void {
    apply(postOnPort, this.port, [message]);
    atomicsAdd(this.signal, 1 - this.side, 1);
    atomicsNotify(this.signal, 1 - this.side);
  }

  /** Sends `request` and blocks until its reply, serving the other side's requests meanwhile. */
  #request(request: Request, localTensors: Tensor[], original: unknown[] = []): unknown {
    const seq = this.#nextSeq++;
    request.seq = seq;
    this.#post(request);
    for (;;) {
      const seen = atomicsLoad(this.signal, this.side);
      const received = receiveMessageOnPort(this.port as never) as { message: Message } | undefined;
      if (received === undefined) {
        if (atomicsLoad(this.interruptFlag, 0) !== 0) throw new InterruptError();
        atomicsWait(this.signal, this.side, seen, 50);
        continue;
      }
      const message = received.message;
      if (message.kind === "reply" || message.kind === "throw") {
        if (message.seq !== seq) continue; // a stale or forged reply
        if (message.kind === "throw") {
          const error = new Error(String(message.message));
          error.name = String(message.name);
          throw error;
        }
        const value = this.#decode(message.value, localTensors, 0, true);
        if (request.kind === "call" && isArray(message.args)) {
          // Write back what the callee left in its copies of array and object arguments.
          for (let i = 0; i < original.length; i++) {
            const after = message.args[i];
            if (after !== undefined) writeBack(original[i], this.#decode(after, [], 0, false));
          }
        }
        return value;
      }
      this.#serve(message);
    }
  }

  #serve(message: Message): void {
    if (message.kind === "reply" || message.kind === "throw") return;
    const seq = message.seq;
    try {
      if (message.kind === "get") {
        if (this.side !== 0) throw new Error("the judge exports no names");
        this.#post({ kind: "reply", seq, value: this.#encode(this.lookup(message.name), 0) });
      } else if (message.kind === "call") {
        const fn = this.#handles.get(message.fn);
        if (typeof fn !== "function") throw new TypeError("not a function");
        const leaves: Tensor[] = [];
        const args = message.args.map((a) => this.#decode(a, leaves, 0, false));
        const value = apply(fn as (...a: unknown[]) => unknown, undefined, args);
        if (value instanceof Promise) {
          throw new TypeError("a function checked by the grader must not be async");
        }
        const encoded = this.#encode(value, 0);
        if (encoded[0] === "t" && leaves.length > 0) this.#graphs.set(encoded[1].id, leaves);
        this.#post({
          kind: "reply",
          seq,
          value: encoded,
          args: args.map((a) => safeEncode(this, a)),
        });
      } else if (message.kind === "backward") {
        const result = this.#handles.get(message.tensor);
        const leaves = this.#graphs.get(message.tensor) ?? [];
        if (!(result instanceof Tensor)) throw new TypeError("unknown tensor");
        for (const leaf of leaves) leaf.grad = null;
        result.backward(this.#decode(message.grad, [], 0, false) as Tensor);
        const grads = leaves.map((leaf) => leaf.grad === null ? null : leaf.grad);
        this.#post({ kind: "reply", seq, value: this.#encode(grads, 0) });
      }
    } catch (error) {
      const isError = error instanceof Error;
      this.#post({
        kind: "throw",
        seq,
        name: isError ? String(error.name) : "Error",
        message: isError ? String(error.message) : String(error),
      });
    }
  }

  #handle(value: unknown): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(value, id);
      this.#handles.set(id, value);
    }
    return id;
  }

  /** Turns a local value into its bridge form (functions and tensors become handles). */
  encodeValue(value: unknown): Encoded {
    return this.#encode(value, 0);
  }

  #encode(value: unknown, depth: number): Encoded {
    if (depth > MAX_DEPTH) throw new RangeError("the value is nested too deeply to be checked");
    if (typeof value === "function") return ["f", this.#handle(value)];
    if (value === null || typeof value !== "object") return ["v", value];
    if (value instanceof Tensor) {
      const data = value.data instanceof Float64Array
        ? new Float64Array(value.data)
        : new Float32Array(value.data);
      return ["t", {
        data,
        shape: [...value.shape],
        grad: value.requiresGrad,
        id: this.#handle(value),
      }];
    }
    if (isArray(value)) return ["a", value.map((item) => this.#encode(item, depth + 1))];
    if (ArrayBuffer.isView(value) || value instanceof Date || value instanceof RegExp) {
      return ["v", value];
    }
    if (value instanceof Map || value instanceof Set) return ["v", value];
    const entries: [string, Encoded][] = [];
    for (const key of Object.keys(value)) {
      entries.push([key, this.#encode((value as Record<string, unknown>)[key], depth + 1)]);
    }
    return ["o", entries];
  }

  #decode(value: Encoded, tensors: Tensor[], depth: number, isResult: boolean): unknown {
    if (!isArray(value) || depth > MAX_DEPTH) throw new TypeError("malformed bridge value");
    const [kind, body] = value;
    switch (kind) {
      case "v":
        return body;
      case "a":
        return (body as Encoded[]).map((item) => this.#decode(item, tensors, depth + 1, isResult));
      case "o": {
        const out: Record<string, unknown> = {};
        for (const [key, item] of body as [string, Encoded][]) {
          Object.defineProperty(out, String(key), {
            value: this.#decode(item, tensors, depth + 1, isResult),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      }
      case "f":
        return this.#proxy(Number(body));
      case "t": {
        const { data, shape, grad, id } = body as Extract<Encoded, ["t", unknown]>[1];
        if (!(data instanceof Float32Array || data instanceof Float64Array)) {
          throw new TypeError("malformed tensor");
        }
        if (!isResult) {
          const tensor = new Tensor(data, shape, grad === true);
          if (grad === true) tensors.push(tensor);
          return tensor;
        }
        const out = new Tensor(data, shape, false);
        const inputs = tensors.filter((t) => t.requiresGrad);
        if (grad === true && inputs.length > 0) {
          recordOp(out, "answer", inputs, (g) => {
            const grads = this.#request(
              { kind: "backward", seq: 0, tensor: Number(id), grad: this.#encode(g, 0) },
              [],
            ) as (Tensor | null)[];
            // The other side returns one gradient per tensor argument that required one.
            return inputs.map((_, i) => grads[i] ?? null);
          });
        }
        return out;
      }
      default:
        throw new TypeError("malformed bridge value");
    }
  }

  #proxy(id: number): (...args: unknown[]) => unknown {
    let proxy = this.#proxies.get(id);
    if (proxy === undefined) {
      proxy = (...args: unknown[]) => {
        const tensors: Tensor[] = [];
        const encoded = args.map((arg) => this.#encode(arg, 0));
        collectTensors(args, tensors, 0);
        return this.#request({ kind: "call", seq: 0, fn: id, args: encoded }, tensors, args);
      };
      this.#proxies.set(id, proxy);
    }
    return proxy;
  }
}

function safeEncode(endpoint: BridgeEndpoint, value: unknown): Encoded {
  try {
    return endpoint.encodeValue(value);
  } catch {
    return ["v", undefined];
  }
}

/** The tensors inside `value`, in the order the other side's decoder meets them. */
function collectTensors(value: unknown, out: Tensor[], depth: number): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return;
  if (value instanceof Tensor) {
    if (value.requiresGrad) out.push(value);
    return;
  }
  if (isArray(value)) {
    for (const item of value) collectTensors(item, out, depth + 1);
    return;
  }
  if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) return;
  for (const key of Object.keys(value)) {
    collectTensors((value as Record<string, unknown>)[key], out, depth + 1);
  }
}

/** Copies the state of `after` (a decoded copy) into `target`, in place where it can. */
function writeBack(target: unknown, after: unknown, depth = 0): void {
  if (depth > MAX_DEPTH || target === null || typeof target !== "object") return;
  try {
    if (isArray(target) && isArray(after)) {
      for (let i = 0; i < after.length; i++) {
        const old = target[i];
        if (old !== null && typeof old === "object" && typeof after[i] === "object") {
          writeBack(old, after[i], depth + 1);
        } else if (old !== after[i]) target[i] = after[i];
      }
      if (target.length !== after.length) target.length = after.length;
    } else if (target instanceof Tensor && after instanceof Tensor) {
      if (target.data.length === after.data.length) target.data.set(after.data);
    } else if (
      !isArray(target) && getPrototypeOf(target) === ObjectPrototype &&
      after !== null && typeof after === "object" && !isArray(after)
    ) {
      for (const key of Object.keys(after)) {
        const old = (target as Record<string, unknown>)[key];
        const next = (after as Record<string, unknown>)[key];
        if (typeof next === "function") continue;
        if (old !== null && typeof old === "object" && typeof next === "object") {
          writeBack(old, next, depth + 1);
        } else if (old !== next) (target as Record<string, unknown>)[key] = next;
      }
    }
  } catch {
    // a frozen argument: nothing to write back
  }
}
