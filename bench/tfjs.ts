/**
 * Loads TensorFlow.js (the full package, which registers gradients) on its CPU backend, once.
 * Only the bench imports tfjs; the runtime never does.
 *
 * @module
 */

/** The `@tensorflow/tfjs` namespace. */
export type Tfjs = typeof import("@tensorflow/tfjs");

let loading: Promise<Tfjs> | null = null;

/** Resolves to tfjs with the `cpu` backend active; rejects when the package cannot be loaded. */
export function loadTfjsCpu(): Promise<Tfjs> {
  loading ??= (async () => {
    const tf = await import("@tensorflow/tfjs");
    // NOTE: under Deno tfjs detects Node.js and prints an advert for tfjs-node on first use.
    tf.env().set("IS_NODE", false);
    if (!(await tf.setBackend("cpu"))) {
      throw new Error(`tfjs: could not select the cpu backend (active: ${tf.getBackend()})`);
    }
    await tf.ready();
    return tf;
  })();
  return loading;
}
