/**
 * The `policy` kind. ALTER POLICY changes the roles and sets USING / WITH CHECK in place; a changed command or
 * PERMISSIVE / RESTRICTIVE, or an expression that is removed, needs DROP + CREATE. A policy that only changes its
 * name (same table, same body) is renamed.
 */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, qname, stmt } from "../../emit/sql.js";
import type { Step } from "../../plan/types.js";
import type { DiffContext, EmitContext, KindHandler } from "../kind.js";
import type { PolicyChange, PolicyObject } from "./types.js";

// Policy names are unique per table: keyed by the table id, which both sides agree on after declared renames.
const slot = (p: PolicyObject) => [`pol:${p.table}.${p.name}`];

const body = (p: PolicyObject) => JSON.stringify([p.command, p.permissive, p.roles, p.using, p.withCheck]);

/**
 * The same policy on the other side: same table (ids agree after declared renames, policy ids may not: they
 * hold the table's old name) and same name.
 */
function counterpart(p: PolicyObject, other: DiffContext["current"]): PolicyObject | undefined {
  return other.childrenOf(p.table, "policy").find((q) => q.name === p.name);
}

/**
 * Pairs of (current, desired) policies of one table that differ only by name: each policy present on one side
 * only is matched with the first unmatched one of the other side that has the same body, in name order.
 */
export function policyRenames(table: string, ctx: DiffContext): Map<string, PolicyObject> {
  const byName = (a: PolicyObject, b: PolicyObject) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const gone = ctx.current
    .childrenOf(table, "policy")
    .filter((p) => !counterpart(p, ctx.desired))
    .sort(byName);
  const added = ctx.desired
    .childrenOf(table, "policy")
    .filter((p) => !counterpart(p, ctx.current))
    .sort(byName);
  const pairs = new Map<string, PolicyObject>();
  for (const p of gone) {
    const i = added.findIndex((q) => body(q) === body(p));
    if (i < 0) continue;
    pairs.set(p.id, added[i]!);
    added.splice(i, 1);
  }
  return pairs;
}

export const policyKind: KindHandler<PolicyObject, PolicyChange> = {
  kind: "policy",
  rank: 70,
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectPolicies(ctx)),
  diff(current, desired, ctx) {
    // Under a renamed table, the same policy has another id on each side: compared from the current side. (An id
    // present on both sides is never paired: the framework asks for the drop or create half of a recreation so.)
    if (desired && !current && !ctx.current.has(desired.id) && counterpart(desired, ctx.current)) return [];
    if (current && !desired && !ctx.desired.has(current.id)) desired = counterpart(current, ctx.desired);
    if (desired && !current) {
      const renamed = [...policyRenames(desired.table, ctx).values()].some((p) => p.id === desired.id);
      return renamed ? [] : [{ kind: "policy", op: "create", id: desired.id, object: desired, claims: slot(desired) }];
    }
    if (current && !desired) {
      const to = policyRenames(current.table, ctx).get(current.id);
      if (to) {
        return [
          {
            kind: "policy",
            op: "rename",
            id: to.id,
            object: to,
            from: current,
            newName: to.name,
            frees: slot(current),
            claims: slot(to),
          },
        ];
      }
      return [{ kind: "policy", op: "drop", id: current.id, object: current, frees: slot(current) }];
    }
    if (!current || !desired) return [];
    if (body(current) === body(desired)) return [];
    const inPlace =
      current.command === desired.command &&
      current.permissive === desired.permissive &&
      (desired.using !== null || current.using === null) &&
      (desired.withCheck !== null || current.withCheck === null);
    if (inPlace) return [{ kind: "policy", op: "alter", id: desired.id, object: desired, from: current }];
    return [
      { kind: "policy", op: "drop", id: current.id, object: current, replace: true, frees: slot(current) },
      { kind: "policy", op: "create", id: desired.id, object: desired, replace: true, claims: slot(desired) },
    ];
  },
  emit(change, ctx) {
    const p = change.object;
    switch (change.op) {
      case "create":
        return [policyStep(p, createPolicySql(p, tableName(p, ctx)), "create", ctx)];
      case "drop":
        return [policyStep(p, `DROP POLICY ${ident(p.name)} ON ${tableName(p, ctx)}`, "drop", ctx)];
      case "alter": {
        const from = change.from;
        const parts: string[] = [];
        if (from.roles.join(",") !== p.roles.join(",")) parts.push(`TO ${rolesSql(p.roles)}`);
        if (p.using !== null && from.using !== p.using) parts.push(`USING (${roundTripExpressions(p.using)})`);
        if (p.withCheck !== null && from.withCheck !== p.withCheck)
          parts.push(`WITH CHECK (${roundTripExpressions(p.withCheck)})`);
        return [
          policyStep(p, `ALTER POLICY ${ident(p.name)} ON ${tableName(p, ctx)} ${parts.join(" ")}`, "alter", ctx),
        ];
      }
      case "rename":
        return renamePolicy(change.from, change.newName, ctx);
    }
  },
  rename: (object, newName, ctx) => renamePolicy(object, newName, ctx),
};

function renamePolicy(p: PolicyObject, newName: string, ctx: EmitContext): Step[] {
  return [
    policyStep(p, `ALTER POLICY ${ident(p.name)} ON ${tableName(p, ctx)} RENAME TO ${ident(newName)}`, "rename", ctx),
  ];
}

/** The table's name as it is when the step runs (declared table renames run first). */
function tableName(p: PolicyObject, ctx: EmitContext): string {
  const table = ctx.desired.of(p.table, "table") ?? ctx.current.of(p.table, "table");
  return qname(p.schema, table?.name ?? p.tableName);
}

function policyStep(p: PolicyObject, sql: string, operation: Step["operation"], ctx: EmitContext): Step {
  return {
    sql: stmt(sql),
    type: "table.policy",
    operation,
    path: p.path,
    transaction: true,
    // CREATE / ALTER / DROP POLICY lock the table exclusively (briefly).
    lock: ctx.isNew(p.table) ? "none" : "ACCESS EXCLUSIVE",
    hazards: [],
  };
}

function rolesSql(roles: string[]): string {
  return roles.map((r) => (r === "public" ? "PUBLIC" : ident(r))).join(", ");
}

export function createPolicySql(p: PolicyObject, table: string): string {
  let sql = `CREATE POLICY ${ident(p.name)} ON ${table}`;
  if (!p.permissive) sql += " AS RESTRICTIVE";
  if (p.command !== "ALL") sql += ` FOR ${p.command}`;
  sql += ` TO ${rolesSql(p.roles)}`;
  if (p.using !== null) sql += ` USING (${roundTripExpressions(p.using)})`;
  if (p.withCheck !== null) sql += ` WITH CHECK (${roundTripExpressions(p.withCheck)})`;
  return sql;
}
