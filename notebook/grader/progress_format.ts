/**
 * The progress export format: one JSON file per learner with edits, cells run, exercise attempts,
 * hints and revealed solutions. Its types and limits; `progress_reader.ts` validates a file and
 * `gradebook.ts` grades from it.
 *
 * @module
 */
import type { WidgetValue } from "../../runtime/vocabulary.ts";
import type { GradedCheck, GradeStatus } from "./types.ts";
import type { ScratchCell } from "../course/scratch_cells.ts";

/** The `format` field of a progress export. */
export const PROGRESS_FORMAT = "gradbook-progress";
/** The `version` of the progress export format this code writes and reads. */
export const PROGRESS_VERSION = 1;

/** Limits a progress file must keep (a file over them is refused, not truncated). */
export const PROGRESS_LIMITS = {
  /** Whole file, in bytes of JSON text. */
  fileBytes: 16 * 1024 * 1024,
  /** One cell source or attempt source, in characters. */
  sourceChars: 256 * 1024,
  /** A name, message or other short text, in characters. */
  textChars: 10_000,
  lessons: 1000,
  cellsPerLesson: 2000,
  attemptsPerExercise: 1000,
  checksPerAttempt: 500,
  widgetsPerCell: 100,
} as const;

/** One check of an exported attempt. */
export interface ExportedCheck {
  name: string;
  passed: boolean;
  points: number;
  earned: number;
  /** True for the exercise's visible example checks, false for hidden tests. */
  visible: boolean;
  message: string;
}

/** A graded check as progress files and gradebooks keep it (without its timing). */
export function exportedCheck(
  { name, passed, points, earned, visible, message }: GradedCheck,
): ExportedCheck {
  return { name, passed, points, earned, visible, message };
}

/** One graded attempt at an exercise. */
export interface ExportedAttempt {
  /** Unix time in ms. */
  createdAt: number;
  /** The code that was checked. */
  source: string;
  status: GradeStatus;
  score: number;
  maxScore: number;
  checks: ExportedCheck[];
  message: string;
}

/** A learner's progress on one exercise. */
export interface ExportedExercise {
  /** How many hints the learner unlocked. */
  hintsUnlocked: number;
  /** Unix time in ms when the learner revealed the solution, or null. */
  solutionRevealedAt: number | null;
  /** Oldest first. */
  attempts: ExportedAttempt[];
}

/** A learner's progress in one lesson. */
export interface ExportedLesson {
  /** Edited cell sources by cell id (an exercise's cell id is the exercise id). */
  sources: Record<string, string>;
  /** Ids of the cells whose last run ended "ok". */
  cellsDone: string[];
  exercises: Record<string, ExportedExercise>;
  /**
   * Values the learner set on the lesson's widgets (`input.slider`, ...), by cell id and widget
   * key; absent when they set none (and in files written before widgets were exported).
   */
  widgets?: Record<string, Record<string, WidgetValue>>;
  /** The learner's scratch cells, in order (never graded); absent when they have none. */
  scratch?: ScratchCell[];
}

/** A progress export file (`format: "gradbook-progress"`, `version: 1`). */
export interface ProgressExport {
  format: typeof PROGRESS_FORMAT;
  version: typeof PROGRESS_VERSION;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /** The learner's name, when they gave one. */
  learner?: string;
  /** Progress by lesson slug. */
  lessons: Record<string, ExportedLesson>;
}

/** A progress file that is not valid; the message says where and what, for the learner. */
export class ProgressFileError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "ProgressFileError";
  }
}
