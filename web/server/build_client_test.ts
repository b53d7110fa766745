import assert from "node:assert/strict";
import { buildClient, CLIENT_SOURCES, REPO_ROOT } from "./build_client.ts";

Deno.test("buildClient() run twice at once in one process builds one usable bundle", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gradbook-build-" });
  try {
    const [a, b] = await Promise.all([buildClient(dir), buildClient(dir)]);
    assert.equal(a.jsPath, b.jsPath);
    const bundle = await Deno.readTextFile(a.jsPath);
    assert.ok(bundle.length > 10_000, `bundle is only ${bundle.length} characters`);
    const leftovers = [...Deno.readDirSync(`${dir}/${a.hash}`)].map((e) => e.name);
    assert.deepEqual(leftovers, ["main.js", ...a.chunks].sort());
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      [a.hash],
      "a temporary build was left",
    );
    // CodeMirror (its theme's ".cm-scroller") is in the editor's chunk, not in the entry.
    const editorChunk = a.chunks.find((name) => name.startsWith("editor-"));
    assert.ok(editorChunk !== undefined, `no editor chunk among ${a.chunks}`);
    assert.ok(!bundle.includes("cm-scroller"), "the entry holds CodeMirror");
    assert.ok((await Deno.readTextFile(`${dir}/${a.hash}/${editorChunk}`)).includes("cm-scroller"));
    for (const chunk of a.entryImports) assert.ok(a.chunks.includes(chunk), chunk);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the bundle's hash covers every repository module the client imports", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "web/client/main.tsx"],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: { specifier: string }[];
  };
  const root = new URL(`file://${REPO_ROOT}/`).href;
  const uncovered = graph.modules
    .map((module) => module.specifier)
    .filter((specifier) => specifier.startsWith(root))
    .map((specifier) => decodeURIComponent(specifier.slice(root.length)))
    // npm packages (in node_modules/ with "nodeModulesDir": "manual") are pinned by deno.lock
    .filter((path) => !path.startsWith("node_modules/"))
    .filter((path) => !CLIENT_SOURCES.some((s) => path === s || path.startsWith(`${s}/`)));
  assert.deepEqual(uncovered, []);
});
