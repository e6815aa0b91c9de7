/**
 * Steps and plans: what emit produces and the renderers and the runner consume. A plan is data (JSON-serialisable):
 * computed purely, saved, reviewed, and applied separately with a fingerprint check.
 */

/** What can go wrong for the data or the application while a step runs. */
export type Hazard =
  /** rows or columns are deleted */
  | "data_loss"
  /** the table is rewritten (time and disk proportional to its size, under an exclusive lock) */
  | "table_rewrite"
  /** the whole table is read (validation, index build) */
  | "full_scan"
  /** an ACCESS EXCLUSIVE lock is held for longer than an instant */
  | "long_lock"
  /** writes to the table wait while the step runs */
  | "blocks_writes"
  /** an extension and all its objects are dropped */
  | "drops_extension";

export const HAZARDS: readonly Hazard[] = [
  "data_loss",
  "table_rewrite",
  "full_scan",
  "long_lock",
  "blocks_writes",
  "drops_extension",
];

/** PostgreSQL lock modes a step takes on the object it changes ("none" for objects no one can be using yet). */
export type LockLevel =
  | "none"
  | "ACCESS SHARE"
  | "SHARE UPDATE EXCLUSIVE"
  | "SHARE"
  | "SHARE ROW EXCLUSIVE"
  | "EXCLUSIVE"
  | "ACCESS EXCLUSIVE";

export type StepOperation = "create" | "alter" | "drop" | "rename";

export interface Step {
  /** One SQL statement, terminated by a semicolon, runnable by psql as is. */
  sql: string;
  /** Object type in pgschema's vocabulary: `table`, `table.column`, `table.index`, `type`, `sequence`, ... */
  type: string;
  operation: StepOperation;
  /** Dotted path of the object: `public.users.email`. */
  path: string;
  /** The schema the object belongs to (set by the planner; an extension's is the schema of its objects). */
  schema?: string;
  /** false: must run outside a transaction block (CREATE INDEX CONCURRENTLY); it gets a group of its own. */
  transaction: boolean;
  lock: LockLevel;
  hazards: Hazard[];
}

export interface StepGroup {
  /** true: the steps run in one transaction; false: one step, outside any transaction. */
  transaction: boolean;
  steps: Step[];
}

/** One object's part in the plan, for the human summary. */
export interface PlanObjectChange {
  type: string;
  path: string;
  operation: StepOperation;
  /** For sub-objects (columns, constraints, indexes): the table path they belong to. */
  parentPath?: string;
}

export interface DestructiveChange {
  path: string;
  type: string;
  hazard: Hazard;
  sql: string;
}

export interface Plan {
  version: 1;
  engine: "builtin" | "pgschema";
  /** server_version_num of the current side. */
  serverVersion: number;
  schemas: string[];
  online: boolean;
  fingerprint: {
    /** sha256 of the current side's IR: apply refuses the plan when the database no longer matches. */
    current: string;
    /** The schemas the current side was read with (apply reads them again to check the fingerprint). */
    currentSchemas: string[];
    desired: string;
  };
  groups: StepGroup[];
  objects: PlanObjectChange[];
  /** Steps that lose data or drop extensions, for reviewers and CI. */
  destructive: DestructiveChange[];
}

export function planSteps(plan: Pick<Plan, "groups">): Step[] {
  return plan.groups.flatMap((g) => g.steps);
}

export function isEmptyPlan(plan: Pick<Plan, "groups">): boolean {
  return plan.groups.every((g) => g.steps.length === 0);
}
