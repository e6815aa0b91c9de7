/** The plan as plain SQL that psql runs as is: one statement after another, separated by blank lines. */
import type { Plan } from "../plan/types.js";
import { planSteps } from "../plan/types.js";

export function renderSql(plan: Pick<Plan, "groups">): string {
  const steps = planSteps(plan);
  return steps.length ? `${steps.map((s) => s.sql).join("\n\n")}\n` : "";
}
