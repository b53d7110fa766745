import { assert_, assertEquals } from "../../runtime/testing/assert.ts";
import { launchBrowser } from "../browser_harness.ts";
import { cachedResources, openLoadWindow } from "./load_window.ts";

Deno.test("a cold tab fetches everything again; a warm one takes what it can from the cache", async () => {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (request) => {
    if (new URL(request.url).pathname === "/app.js") {
      return new Response("globalThis.loaded = true;", {
        headers: {
          "content-type": "text/javascript",
          "cache-control": "public, max-age=31536000, immutable",
        },
      });
    }
    return new Response('<!doctype html><script src="/app.js"></script>', {
      headers: { "content-type": "text/html" },
    });
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  const browser = await launchBrowser();
  try {
    const window = await openLoadWindow(browser);
    const load = async (cold: boolean) => {
      const page = await window.newTab({ cold });
      await page.goto(url, { waitUntil: "load" });
      const cached = await cachedResources(page);
      await page.close();
      return cached;
    };
    await load(false); // fills the cache
    assertEquals(await load(true), [], "a cold tab takes nothing from the cache");
    assert_((await load(false)).length > 0, "a warm tab takes the script from the cache");
    // The blank tab kept the window open through the tabs closed above.
    assertEquals((await window.context.pages()).length, 1);
    await window.close();
  } finally {
    await browser.close();
    await server.shutdown();
  }
});
