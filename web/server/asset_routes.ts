/**
 * Static assets: the bundled client (`/assets/app.<hash>.js` and the chunks it imports,
 * `/assets/<name>-<hash>.js`), its CSS, and KaTeX's CSS and fonts from the local `katex` package.
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "./build_client.ts";
import { file } from "./http.ts";
import type { Route } from "./route_table.ts";
import type { ServerContext } from "./server_context.ts";

const KATEX_DIR = dirname(
  createRequire(join(REPO_ROOT, "deno.json")).resolve("katex/package.json"),
);
const CLIENT_CSS = join(REPO_ROOT, "web", "client", "style.css");
const FONT_NAME = /^KaTeX_[A-Za-z0-9_-]+\.(woff2|woff|ttf)$/;

/** The asset routes. */
export function assetRoutes({ build }: ServerContext): Route[] {
  return [
    {
      method: "GET",
      path: "/assets/katex/katex.min.css",
      handle: () => file(join(KATEX_DIR, "dist", "katex.min.css"), false),
    },
    {
      method: "GET",
      path: "/assets/katex/fonts/:font",
      handle: ({ params }) =>
        FONT_NAME.test(params.font!)
          ? file(join(KATEX_DIR, "dist", "fonts", params.font!), true)
          : new Response(`No asset "katex/fonts/${params.font}"`, { status: 404 }),
    },
    {
      method: "GET",
      path: "/assets/:name+",
      handle: ({ params }) => {
        const name = params.name!;
        if (name === `app.${build.hash}.js`) return file(build.jsPath, true);
        // Chunk names carry their content's hash, and are imported relative to the entry.
        if (build.chunks.includes(name)) return file(join(build.dir, name), true);
        // The hash covers style.css too (`CLIENT_SOURCES`), so both can be cached for good.
        if (name === `style.${build.hash}.css`) return file(CLIENT_CSS, true);
        return new Response(`No asset "${name}"`, { status: 404 });
      },
    },
  ];
}
