/**
 * Where the server listens: the first free port from `options.port` on `hostname`, through the
 * {@link FrontDoor} (header timeout, connection caps, survives running out of file descriptors),
 * which hands complete requests to `Deno.serve` on a Unix socket in a private temporary folder.
 *
 * @module
 */
import { join } from "node:path";
import { FrontDoor } from "./front_door.ts";
import type { ServerOptions } from "./server_context.ts";

/** What {@link listen} started: the front door's port and a way to stop both listeners. */
export interface Listening {
  addr: { port: number };
  shutdown(): Promise<void>;
}

/**
 * Listens on `hostname` (the first free port from `options.port`) through the {@link FrontDoor}
 * (header timeout, connection caps, survives running out of file descriptors), which hands
 * complete requests to `Deno.serve` on a Unix socket in a private temporary folder.
 */
export function listen(
  options: ServerOptions,
  handler: Deno.ServeHandler,
  isAuthenticated: (head: string) => boolean,
): Listening {
  const hostname = options.hostname ?? "127.0.0.1";
  const first = options.port ?? 8000;
  const attempts = first === 0 ? 1 : options.portAttempts ?? 20;
  let listener: Deno.TcpListener | null = null;
  for (let port = first; port < first + attempts && listener === null; port++) {
    try {
      listener = Deno.listen({ hostname, port });
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    }
  }
  if (listener === null) {
    throw new Deno.errors.AddrInUse(
      `Cannot listen on ${hostname}: ports ${first} to ${first + attempts - 1} are all taken`,
    );
  }
  const folder = Deno.makeTempDirSync({ prefix: "gradbook-http-" });
  Deno.chmodSync(folder, 0o700);
  const path = join(folder, "http.sock");
  const inner = Deno.serve({ path, transport: "unix", handler, onListen: () => {} });
  const front = new FrontDoor(listener, path, { isAuthenticated });
  const port = listener.addr.port;
  return {
    addr: { port },
    async shutdown() {
      await front.close();
      await inner.shutdown();
      await Deno.remove(folder, { recursive: true }).catch(() => {});
    },
  };
}
