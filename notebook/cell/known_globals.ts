/**
 * The globals a cell may use without another cell declaring them: reading one never makes a
 * cell depend on another.
 *
 * @module
 */

/** Globals every cell may use without another cell declaring them; never dependencies. */
export const KNOWN_GLOBALS: ReadonlySet<string> = new Set([
  ..."Array ArrayBuffer Atomics BigInt BigInt64Array BigUint64Array Boolean DataView Date Error \
EvalError Float16Array Float32Array Float64Array Function Infinity Int8Array Int16Array \
Int32Array Intl Iterator JSON Map Math NaN Number Object Promise Proxy RangeError \
ReferenceError Reflect RegExp Set SharedArrayBuffer String Symbol SyntaxError TypeError \
URIError Uint8Array Uint8ClampedArray Uint16Array Uint32Array WeakMap WeakRef WeakSet \
AggregateError FinalizationRegistry decodeURI decodeURIComponent encodeURI encodeURIComponent \
escape unescape eval globalThis isFinite isNaN parseFloat parseInt undefined arguments \
console Deno performance crypto setTimeout clearTimeout setInterval clearInterval \
queueMicrotask structuredClone atob btoa fetch Blob File TextEncoder TextDecoder URL \
URLSearchParams AbortController AbortSignal Event EventTarget CustomEvent Headers Request \
Response ReadableStream WritableStream TransformStream WebAssembly DOMException \
MessageChannel BroadcastChannel Worker WebSocket navigator self window postMessage close \
addEventListener removeEventListener dispatchEvent reportError"
    .split(/\s+/),
]);
