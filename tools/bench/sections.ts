/**
 * The bench sections, in the order their rows are printed. Add a section by appending it here.
 *
 * @module
 */
import { convSection } from "./conv.ts";
import { kernelSection } from "./kernel.ts";
import { lessonsSection } from "./lessons.ts";
import { loadSection } from "./load.ts";
import { lstmGrowthSection, lstmSection } from "./lstm.ts";
import { matmulSection } from "./matmul.ts";
import { mlpGrowthSection, mlpSection } from "./mlp.ts";
import { notebookSection } from "./notebook.ts";
import { pageSpeedSection } from "./page_speed.ts";
import type { BenchSection } from "./section.ts";
import { threadsSection } from "./threads.ts";

/** Every section `deno task bench` runs. */
export const sections: BenchSection[] = [
  matmulSection,
  mlpSection,
  mlpGrowthSection,
  convSection,
  lstmSection,
  lstmGrowthSection,
  threadsSection,
  kernelSection,
  notebookSection,
  pageSpeedSection,
  loadSection,
  lessonsSection,
];
