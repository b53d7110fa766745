import { KernelProcess } from "../notebook/kernel/kernel_process.ts";
const map = "build/kernel/import_map.json";
const times: Record<string, number[]> = { map: [], npm: [] };
for (let i = 0; i < 6; i++) {
  for (const mode of ["map", "npm"]) {
    if (mode === "npm") Deno.renameSync(map, map + ".off");
    const k = new KernelProcess();
    const t0 = performance.now();
    await k.start();
    times[mode]!.push(Math.round(performance.now() - t0));
    const events: unknown[] = [];
    const reply = await k.execute("c1", "const v: number = 1 + 1; v", (e) => events.push(e));
    if (reply.status !== "ok") console.log("FAIL", reply);
    await k.shutdown();
    if (mode === "npm") Deno.renameSync(map + ".off", map);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(JSON.stringify(times), "median map", med(times.map!), "npm", med(times.npm!));
