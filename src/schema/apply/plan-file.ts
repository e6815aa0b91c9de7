/** Reading a plan JSON file written by `schema plan --output-json` (or `db plan`). */
import { readFile } from "node:fs/promises";
import { UsageError } from "../../errors.js";
import type { Plan } from "../plan/types.js";

export async function readPlanFile(file: string): Promise<Plan> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError("PLAN_FILE_INVALID", `Cannot read the plan ${file}: ${(error as Error).message}`, {
      hint: "Pass a file written by `postkit schema plan --output-json`.",
    });
  }
  const plan = raw as Partial<Plan>;
  const valid =
    plan &&
    plan.version === 1 &&
    Array.isArray(plan.groups) &&
    plan.groups.every((g) => Array.isArray(g.steps) && g.steps.every((s) => typeof s.sql === "string")) &&
    typeof plan.fingerprint?.current === "string" &&
    Array.isArray(plan.fingerprint?.currentSchemas);
  if (!valid) {
    throw new UsageError("PLAN_FILE_INVALID", `${file} is not a postkit plan (version 1).`, {
      hint: "Pass a file written by `postkit schema plan --output-json`.",
    });
  }
  return plan as Plan;
}
