/**
 * Runs a plan's steps on a database: each transactional group in one transaction (BEGIN ... COMMIT, rolled back
 * when a step fails), each non-transactional step on its own. A failed step is reported with its position in the
 * plan and a caret under the error position in its SQL.
 */
import type pg from "pg";
import { PostkitError } from "../../errors.js";
import { isPgError, sqlError } from "../../pg/sql-error.js";
import type { Plan, Step } from "../plan/types.js";

export interface RunPlanOptions {
  signal?: AbortSignal;
  /** lock_timeout for every step, e.g. "5s" (PostgreSQL syntax). */
  lockTimeout?: string;
  onStep?: (index: number, total: number, step: Step) => void;
}

export async function runPlan(
  client: pg.Client,
  plan: Pick<Plan, "groups">,
  options: RunPlanOptions = {},
): Promise<number> {
  const total = plan.groups.reduce((n, g) => n + g.steps.length, 0);
  if (options.lockTimeout) await client.query("SELECT set_config('lock_timeout', $1, false)", [options.lockTimeout]);
  let index = 0;
  for (const group of plan.groups) {
    options.signal?.throwIfAborted();
    if (group.transaction) await client.query("BEGIN");
    try {
      for (const step of group.steps) {
        index++;
        options.onStep?.(index, total, step);
        try {
          await client.query(step.sql);
        } catch (error) {
          throw stepError(error, step, index, total);
        }
      }
      if (group.transaction) await client.query("COMMIT");
    } catch (error) {
      if (group.transaction) await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }
  return index;
}

function stepError(error: unknown, step: Step, index: number, total: number): PostkitError {
  const label = `step ${index}/${total} (${step.type} ${step.path})`;
  if (!isPgError(error)) {
    return new PostkitError("APPLY_FAILED", `Plan ${label} failed: ${String((error as Error)?.message ?? error)}`, {
      cause: error,
    });
  }
  const e = sqlError(error, { sql: step.sql, file: label, code: "APPLY_FAILED", prefix: "Plan" });
  return new PostkitError("APPLY_FAILED", e.message, {
    hint: e.hint ?? "Steps before this one are applied (each group commits on its own); fix the cause and plan again.",
    cause: error,
    details: { ...e.details, step: index, path: step.path },
  });
}
