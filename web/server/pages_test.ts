import assert from "node:assert/strict";
import { renderIndexPage } from "./pages.tsx";
import type { LessonLink } from "../messages.ts";

const ASSETS = { js: "/a.js", css: "/s.css", katexCss: "/k.css" };

function link(change: Partial<LessonLink>): LessonLink {
  return {
    slug: "01-a",
    title: "A",
    summary: "",
    minutes: 5,
    order: 1,
    cellCount: 10,
    cellsDone: 0,
    exerciseCount: 2,
    pointsTotal: 10,
    pointsEarned: 0,
    ...change,
  };
}

function status(change: Partial<LessonLink>): string {
  const page = renderIndexPage([link(change)], [], ASSETS);
  return page.match(/class="card-status">([^<]*)</)?.[1] ?? "";
}

Deno.test("A lesson is Completed only when its cells ran and its exercises are solved", () => {
  assert.equal(status({}), "Not started");
  assert.equal(status({ cellsDone: 10 }), "Cells run · exercises open");
  assert.equal(status({ cellsDone: 5 }), "5 of 10 cells run");
  assert.equal(status({ cellsDone: 10, pointsEarned: 10 }), "Completed");
  assert.equal(status({ cellsDone: 10, exerciseCount: 0, pointsTotal: 0 }), "Completed");
  assert.equal(status({ cellsDone: 0, pointsEarned: 4 }), "0 of 10 cells run");
});
