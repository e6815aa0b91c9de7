/** Table comparison. Columns, constraints and indexes are compared by their own kinds. */
import { PostkitError } from "../../../errors.js";
import type { DiffContext } from "../kind.js";
import type { TableChange, TableObject } from "./types.js";

export const tableNames = (t: TableObject) => [`rel:${t.path}`, `type:${t.path}`, `type:${t.path}[]`];

export function diffTables(
  current: TableObject | undefined,
  desired: TableObject | undefined,
  ctx: DiffContext,
): TableChange[] {
  if (desired && !current) {
    const changes: TableChange[] = [
      { kind: "table", op: "create", id: desired.id, object: desired, claims: tableNames(desired) },
    ];
    if (desired.replicaIdentity !== "default") changes.push(replicaIdentity(desired, ctx));
    return changes;
  }
  if (current && !desired)
    return [{ kind: "table", op: "drop", id: current.id, object: current, frees: tableNames(current) }];
  if (!current || !desired) return [];
  const changes: TableChange[] = [];
  const base = { kind: "table" as const, op: "alter" as const, id: desired.id, object: desired };
  if ((current.partitionKey ?? "") !== (desired.partitionKey ?? "")) {
    throw new PostkitError(
      "PLAN_UNSUPPORTED",
      `Table ${desired.path}: changing ${current.partitionKey ? "the partitioning" : "a table into a partitioned table"} cannot be done in place.`,
      {
        hint: "Write this migration by hand (create the new table, copy the rows, swap the names) with `postkit db migration`.",
      },
    );
  }
  if (current.unlogged !== desired.unlogged) changes.push({ ...base, action: "set_logged" });
  const samePartition =
    current.partitionOf?.id === desired.partitionOf?.id && current.partitionOf?.bound === desired.partitionOf?.bound;
  if (!samePartition) {
    if (current.partitionOf) changes.push({ ...base, action: "detach_partition", from: current });
    if (desired.partitionOf) changes.push({ ...base, action: "attach_partition", after: [desired.partitionOf.id] });
  }
  const before = new Set(current.inherits.map((p) => p.id));
  const after = new Set(desired.inherits.map((p) => p.id));
  for (const p of current.inherits) if (!after.has(p.id)) changes.push({ ...base, action: "no_inherit", parent: p });
  for (const p of desired.inherits)
    if (!before.has(p.id)) changes.push({ ...base, action: "inherit", parent: p, after: [p.id] });
  if (current.options.join(",") !== desired.options.join(",")) {
    const key = (o: string) => o.slice(0, o.indexOf("="));
    const desiredKeys = new Set(desired.options.map(key));
    changes.push({
      ...base,
      action: "set_options",
      set: desired.options.filter((o) => !current.options.includes(o)),
      reset: current.options.map(key).filter((k) => !desiredKeys.has(k)),
    });
  }
  if (
    current.replicaIdentity !== desired.replicaIdentity ||
    current.replicaIdentityIndex !== desired.replicaIdentityIndex
  ) {
    changes.push(replicaIdentity(desired, ctx));
  }
  if (current.accessMethod !== desired.accessMethod) changes.push({ ...base, action: "access_method" });
  return changes;
}

/** REPLICA IDENTITY USING INDEX needs the index first: an index, or the index of a constraint. */
function replicaIdentity(t: TableObject, ctx: DiffContext): TableChange {
  const after: string[] = [];
  if (t.replicaIdentityIndex) {
    for (const o of ctx.desired.allChildren(t.id)) {
      if ((o.kind === "index" || o.kind === "constraint") && o.name === t.replicaIdentityIndex) after.push(o.id);
    }
  }
  return { kind: "table", op: "alter", id: t.id, object: t, action: "replica_identity", after };
}
