/**
 * The plan for people: counts, the objects by type (+ create, ~ alter, - drop, > rename), what is destructive,
 * then the DDL with each step's lock and hazards.
 */
import type { Plan, PlanObjectChange, Step } from "../plan/types.js";
import { planSteps } from "../plan/types.js";

const SIGN: Record<PlanObjectChange["operation"], string> = { create: "+", alter: "~", drop: "-", rename: ">" };
const TYPE_TITLES: Record<string, string> = {
  schema: "Schemas",
  extension: "Extensions",
  type: "Types",
  sequence: "Sequences",
  table: "Tables",
};

export interface HumanLine {
  text: string;
  /** DDL lines (shown in magenta by the terminal). */
  sql?: boolean;
}

export function renderHumanLines(plan: Plan): HumanLine[] {
  const steps = planSteps(plan);
  if (!steps.length) return [{ text: "No changes: the database matches the desired schema." }];
  const lines: HumanLine[] = [];
  const top = plan.objects.filter((o) => !o.parentPath);
  const sub = plan.objects.filter((o) => o.parentPath);
  // A table with only sub-object changes is "modified".
  for (const o of sub) {
    if (!top.some((t) => t.path === o.parentPath)) {
      top.push({ type: o.type.split(".")[0] ?? "table", path: o.parentPath!, operation: "alter" });
    }
  }
  const count = (op: string) => top.filter((o) => o.operation === op).length;
  lines.push({
    text: `Plan: ${count("create")} to add, ${count("alter") + count("rename")} to modify, ${count("drop")} to drop.`,
  });
  lines.push({ text: "" }, { text: "Summary by type:" });
  const types = [...new Set(top.map((o) => o.type))];
  for (const type of types) {
    const of = top.filter((o) => o.type === type);
    const parts = (["create", "alter", "drop", "rename"] as const)
      .map((op) => [op, of.filter((o) => o.operation === op).length] as const)
      .filter(([, n]) => n > 0)
      .map(([op, n]) => `${n} to ${op === "create" ? "add" : op === "alter" ? "modify" : op}`);
    lines.push({ text: `  ${titleOf(type).toLowerCase()}: ${parts.join(", ")}` });
  }
  for (const type of types) {
    lines.push({ text: "" }, { text: `${titleOf(type)}:` });
    for (const o of top.filter((x) => x.type === type)) {
      lines.push({ text: `  ${SIGN[o.operation]} ${o.path}` });
      for (const s of sub.filter((x) => x.parentPath === o.path)) {
        // An attribute of the table itself (its RLS flags) has the table's path: show the table's name.
        const name = s.path.slice(o.path.length + 1) || o.path.slice(o.path.lastIndexOf(".") + 1);
        lines.push({ text: `    ${SIGN[s.operation]} ${name} (${s.type.split(".").at(-1)})` });
      }
    }
  }
  if (plan.destructive.length) {
    lines.push({ text: "" }, { text: "Destructive changes:" });
    for (const d of plan.destructive) {
      const what = d.hazard === "drops_extension" ? "drops the extension and everything that uses it" : "data is lost";
      lines.push({ text: `  ! ${d.path} (${d.type}): ${what}` });
    }
  }
  lines.push({ text: "" }, { text: "DDL to be executed:" }, { text: "-".repeat(50) });
  for (const g of plan.groups) {
    lines.push({ text: "" });
    if (!g.transaction) lines.push({ text: "-- runs on its own, outside a transaction" });
    for (const s of g.steps) {
      const note = annotation(s);
      if (note) lines.push({ text: note });
      for (const l of s.sql.split("\n")) lines.push({ text: l, sql: true });
    }
  }
  return lines;
}

export function renderHuman(plan: Plan): string {
  return `${renderHumanLines(plan)
    .map((l) => l.text)
    .join("\n")}\n`;
}

function annotation(s: Step): string | undefined {
  if (!s.hazards.length && (s.lock === "none" || s.lock === "ACCESS EXCLUSIVE")) return undefined;
  const parts = [`lock: ${s.lock}`];
  if (s.hazards.length) parts.push(`hazards: ${s.hazards.join(", ")}`);
  return `-- ${parts.join("; ")}`;
}

function titleOf(type: string): string {
  return TYPE_TITLES[type] ?? `${type.charAt(0).toUpperCase()}${type.slice(1).replace(/_/g, " ")}s`;
}
