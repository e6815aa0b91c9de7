/**
 * The pure heart of the engine: two IRs in, a plan out. compare -> order -> emit -> group. No I/O.
 */
import { PostkitError } from "../../errors.js";
import type { Change, ChangeBase } from "../compare/change.js";
import { compare } from "../compare/compare.js";
import type { RenameChange } from "../compare/renames.js";
import { applyRenames, type RenameHint } from "../compare/renames.js";
import type { SchemaIr } from "../ir/types.js";
import type { AnyKindHandler, EmitContext } from "../kinds/kind.js";
import { fingerprintIr } from "./fingerprint.js";
import { orderChanges } from "./order.js";
import type { DestructiveChange, Plan, PlanObjectChange, Step, StepGroup } from "./types.js";

export interface BuildPlanOptions {
  kinds: readonly AnyKindHandler[];
  online: boolean;
  renames?: RenameHint[];
}

export interface BuiltPlan {
  plan: Plan;
  /** Changes in execution order (for tests and debugging). */
  changes: Change[];
  /** Each change with the steps it emitted, in order (the multi-file dump splits along these). */
  segments: { change: Change; steps: Step[] }[];
  warnings: string[];
}

export function buildPlan(current: SchemaIr, desired: SchemaIr, options: BuildPlanOptions): BuiltPlan {
  const currentFingerprint = fingerprintIr(current);
  const renamed = applyRenames(current, desired, options.renames ?? [], options.kinds);
  const { changes, implicit, context } = compare(renamed.current, desired, options);
  const all = [...(renamed.changes as unknown as Change[]), ...changes];
  const { ordered, brokenCycles } = orderChanges(all, implicit, context, options.kinds);
  const handlers = new Map(options.kinds.map((k) => [k.kind, k]));
  // A create for an id the current side has is a recreation (a replace, or after an implicit drop): that object is
  // new too, no one can be using it before the transaction that recreates it commits.
  const recreated = new Set(
    (ordered as ChangeBase[]).filter((c) => c.op === "create" && context.current.has(c.id)).map((c) => c.id),
  );
  const emitCtx: EmitContext = { ...context, isNew: (id) => !context.current.has(id) || recreated.has(id) };
  const steps: Step[] = [];
  const segments: BuiltPlan["segments"] = [];
  for (const change of ordered as ChangeBase[]) {
    const before = steps.length;
    const handler = handlers.get(change.kind);
    if (!handler) throw new Error(`No handler registered for object kind "${change.kind}"`);
    if (change.op === "rename") {
      const r = change as RenameChange;
      if (!handler.rename) {
        throw new PostkitError(
          "PLAN_UNSUPPORTED",
          `Objects of kind ${change.kind} cannot be renamed (${r.from.path}).`,
        );
      }
      steps.push(...handler.rename(r.from, r.newName, emitCtx));
    } else {
      steps.push(...handler.emit(change, emitCtx));
    }
    const schema = schemaOf(change);
    if (schema) for (let k = before; k < steps.length; k++) steps[k] = { ...steps[k]!, schema };
    segments.push({ change: change as Change, steps: steps.slice(before) });
  }
  const plan: Plan = {
    version: 1,
    engine: "builtin",
    serverVersion: current.serverVersion,
    schemas: [...new Set([...current.schemas, ...desired.schemas])].sort(),
    online: options.online,
    fingerprint: { current: currentFingerprint, currentSchemas: current.schemas, desired: fingerprintIr(desired) },
    groups: groupSteps(steps),
    objects: summarise(ordered as ChangeBase[], context.current, context.desired),
    destructive: destructive(steps),
  };
  const warnings = brokenCycles.map((c) => `dependency cycle broken at ${c}`);
  return { plan, changes: ordered, segments, warnings };
}

/** Consecutive transactional steps share a group (one transaction); each non-transactional step is alone. */
export function groupSteps(steps: Step[]): StepGroup[] {
  const groups: StepGroup[] = [];
  for (const step of steps) {
    const last = groups.at(-1);
    if (step.transaction && last?.transaction) last.steps.push(step);
    else groups.push({ transaction: step.transaction, steps: [step] });
  }
  return groups;
}

function summarise(
  changes: ChangeBase[],
  current: EmitContext["current"],
  desired: EmitContext["desired"],
): PlanObjectChange[] {
  const seen = new Map<string, PlanObjectChange>();
  for (const c of changes) {
    const o = c.op === "drop" ? current.get(c.id) : desired.get(c.id);
    if (!o) continue;
    const parent = o.parent ? (desired.get(o.parent) ?? current.get(o.parent)) : undefined;
    const prior = seen.get(c.id);
    const operation = c.op === "rename" ? "rename" : c.op;
    if (!prior) {
      seen.set(c.id, {
        type: o.parent ? `${parent?.kind ?? "table"}.${o.kind}` : o.kind,
        path: o.path,
        operation,
        ...(parent ? { parentPath: parent.path } : {}),
      });
    } else if (prior.operation === "drop" && operation === "create") {
      prior.operation = "alter";
    }
  }
  return [...seen.values()];
}

function destructive(steps: Step[]): DestructiveChange[] {
  const out: DestructiveChange[] = [];
  for (const s of steps) {
    for (const hazard of s.hazards) {
      if (hazard === "data_loss" || hazard === "drops_extension")
        out.push({ path: s.path, type: s.type, hazard, sql: s.sql });
    }
  }
  return out;
}

function schemaOf(change: ChangeBase): string | undefined {
  const o = ((change as { object?: unknown }).object ?? (change as { from?: unknown }).from) as
    | { schema?: string | null; name?: string; kind?: string; extensionSchema?: string }
    | undefined;
  if (!o) return undefined;
  if (change.kind === "schema") return o.name;
  if (change.kind === "extension") return o.extensionSchema;
  return o.schema ?? undefined;
}
