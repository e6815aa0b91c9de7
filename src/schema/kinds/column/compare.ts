/**
 * Column comparison. The changes of one column come out in the order they must run: a default is dropped before a
 * type change and set again after it, NOT NULL is set before an identity is added.
 */

import type { ChangeBase } from "../../compare/change.js";
import type { DiffContext } from "../kind.js";
import { sameOptions } from "../sequence/options.js";
import type { ColumnAlter, ColumnChange, ColumnObject } from "./types.js";

function identityNames(c: ColumnObject): string[] {
  return c.identity ? [`rel:${c.identity.sequence.schema}.${c.identity.sequence.name}`] : [];
}

export function diffColumns(
  current: ColumnObject | undefined,
  desired: ColumnObject | undefined,
  ctx: DiffContext,
): ColumnChange[] {
  if (desired && !current) {
    // Columns of a new table are part of its CREATE TABLE; inherited ones come with the parent's column.
    if (!ctx.current.has(desired.table) || desired.inherited) return inheritedOverrides(undefined, desired, ctx);
    return [{ kind: "column", op: "create", id: desired.id, object: desired, claims: identityNames(desired) }];
  }
  if (current && !desired) {
    if (current.inherited) return [];
    return [{ kind: "column", op: "drop", id: current.id, object: current, frees: identityNames(current) }];
  }
  if (!current || !desired) return [];
  if (current.inherited || desired.inherited) return inheritedOverrides(current, desired, ctx);
  const alter = (a: ColumnAlter & Pick<ChangeBase, "after" | "claims" | "frees">): ColumnChange => ({
    kind: "column",
    op: "alter",
    id: desired.id,
    object: desired,
    ...a,
  });
  // A changed generation expression: PostgreSQL 17 can set it in place, older servers need the column re-added.
  const genA = current.generated;
  const genB = desired.generated;
  if (JSON.stringify(genA) !== JSON.stringify(genB)) {
    const inPlace =
      genA && genB && genA.stored && genB.stored && ctx.serverVersion >= 170000 && current.type === desired.type;
    if (inPlace) return [alter({ action: "set_expression" })];
    if (genA?.stored && !genB && current.type === desired.type) {
      const rest = diffColumns({ ...current, generated: null }, desired, ctx);
      return [alter({ action: "drop_expression" }), ...rest];
    }
    return [
      { kind: "column", op: "drop", id: current.id, object: current, replace: true, frees: identityNames(current) },
      { kind: "column", op: "create", id: desired.id, object: desired, replace: true, claims: identityNames(desired) },
    ];
  }
  const changes: ColumnChange[] = [];
  const typeChanges = current.type !== desired.type || current.collation !== desired.collation;
  const identityAdded = !current.identity && desired.identity;
  const identityDropped = current.identity && !desired.identity;
  const defaultChanges = current.default !== desired.default;
  // A default that names the old type cannot survive a type change; an identity column cannot have a default.
  const dropDefaultFirst = current.default !== null && (typeChanges || identityAdded || defaultChanges);
  if (dropDefaultFirst && (desired.default === null || typeChanges || identityAdded)) {
    changes.push(alter({ action: "drop_default" }));
  }
  if (identityDropped) changes.push({ ...alter({ action: "drop_identity" }), frees: identityNames(current) });
  if (typeChanges) {
    changes.push({
      ...alter({ action: "type", from: current }),
      recreateDependents: { exceptKinds: ["index", "constraint"] },
    });
  }
  if (desired.default !== null && (defaultChanges || typeChanges)) changes.push(alter({ action: "set_default" }));
  if (!current.notNull && desired.notNull) changes.push(alter({ action: "set_not_null" }));
  if (identityAdded) changes.push({ ...alter({ action: "add_identity" }), claims: identityNames(desired) });
  if (current.identity && desired.identity) {
    const a = current.identity;
    const b = desired.identity;
    if (a.always !== b.always || !sameOptions(a.sequence, b.sequence) || a.sequence.name !== b.sequence.name) {
      changes.push(alter({ action: "identity_options", from: current }));
    }
  }
  if (current.notNull && !desired.notNull) changes.push(alter({ action: "drop_not_null" }));
  if (current.storage !== desired.storage) changes.push(alter({ action: "storage" }));
  if (current.compression !== desired.compression) changes.push(alter({ action: "compression" }));
  if (current.statistics !== desired.statistics) changes.push(alter({ action: "statistics" }));
  return changes;
}

/** An inherited column differs from its parent's only by a local default or NOT NULL. */
function inheritedOverrides(
  current: ColumnObject | undefined,
  desired: ColumnObject,
  ctx: DiffContext,
): ColumnChange[] {
  if (!ctx.current.has(desired.table)) return [];
  const before = current ?? parentState(desired, ctx);
  const changes: ColumnChange[] = [];
  const alter = (action: "set_default" | "drop_default" | "set_not_null" | "drop_not_null"): ColumnChange => ({
    kind: "column",
    op: "alter",
    id: desired.id,
    object: desired,
    action,
    after: [desired.table],
  });
  if (before.default !== desired.default)
    changes.push(alter(desired.default === null ? "drop_default" : "set_default"));
  if (before.notNull !== desired.notNull) changes.push(alter(desired.notNull ? "set_not_null" : "drop_not_null"));
  return changes;
}

/** What a newly inherited column gets from its parent when the table is attached or the parent gains it. */
function parentState(c: ColumnObject, ctx: DiffContext): { default: string | null; notNull: boolean } {
  const table = ctx.desired.of(c.table, "table");
  const parents = table?.partitionOf ? [table.partitionOf] : (table?.inherits ?? []);
  for (const p of parents) {
    const col = ctx.desired.childrenOf(p.id, "column").find((x) => x.name === c.name);
    if (col) return { default: table?.partitionOf ? col.default : null, notNull: col.notNull };
  }
  return { default: null, notNull: false };
}
