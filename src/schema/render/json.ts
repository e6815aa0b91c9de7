/** The plan as JSON: what `schema apply --plan` and CI read. */
import type { Plan } from "../plan/types.js";

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
