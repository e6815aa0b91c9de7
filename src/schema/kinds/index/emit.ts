/**
 * SQL for indexes. On a table that already exists, with online rewrites on, an index is built CONCURRENTLY in a
 * group of its own and checked afterwards (a failed concurrent build leaves an INVALID index behind, and IF NOT
 * EXISTS would then skip it silently on a retry). A changed index is built under a temporary name, then swapped in.
 */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, literal, qname, stmt } from "../../emit/sql.js";
import { pathOf } from "../../ir/types.js";
import type { Step } from "../../plan/types.js";
import type { EmitContext } from "../kind.js";
import type { IndexChange, IndexObject } from "./types.js";

/** Splits pg_get_indexdef text into the part before the name, the name as written, and the rest. */
export function splitIndexDefinition(definition: string): { head: string; name: string; tail: string } {
  const m = /^(CREATE (?:UNIQUE )?INDEX )/.exec(definition);
  if (!m) throw new Error(`Unexpected index definition: ${definition}`);
  const head = m[1]!;
  const rest = definition.slice(head.length);
  let end: number;
  if (rest.startsWith('"')) {
    end = 1;
    while (end < rest.length) {
      if (rest[end] === '"' && rest[end + 1] === '"') end += 2;
      else if (rest[end] === '"') break;
      else end++;
    }
    end++;
  } else {
    end = rest.indexOf(" ");
  }
  return { head, name: rest.slice(0, end), tail: rest.slice(end) };
}

/** The definition rewritten: another name, CONCURRENTLY IF NOT EXISTS, and without ONLY (which builds the parent only). */
export function indexSql(
  definition: string,
  options: { name?: string; concurrently?: boolean; only?: boolean } = {},
): string {
  const { head, name, tail } = splitIndexDefinition(definition);
  const h = options.concurrently ? `${head}CONCURRENTLY IF NOT EXISTS ` : head;
  const t = options.only ? tail : tail.replace(/^ ON ONLY /, " ON ");
  return `${h}${options.name ? ident(options.name) : name}${roundTripExpressions(t)}`;
}

/** A concurrent build and the check that it left a valid index. */
export function concurrentIndexSteps(
  definition: string,
  schema: string,
  name: string,
  path: string,
  type: string,
): Step[] {
  return [
    {
      sql: stmt(indexSql(definition, { name, concurrently: true })),
      type,
      operation: "create",
      path,
      transaction: false,
      lock: "SHARE UPDATE EXCLUSIVE",
      hazards: ["full_scan"],
    },
    {
      sql: validityCheck(schema, name),
      type,
      operation: "create",
      path,
      transaction: true,
      lock: "none",
      hazards: [],
    },
  ];
}

/** Fails (psql stops with ON_ERROR_STOP) when the index is missing or INVALID. */
export function validityCheck(schema: string, name: string): string {
  const reg = literal(qname(schema, name));
  return `DO $postkit$
BEGIN
  IF NOT coalesce((SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass(${reg})), false) THEN
    RAISE EXCEPTION 'index % is missing or invalid after CREATE INDEX CONCURRENTLY', ${reg}
      USING HINT = 'Drop the invalid index and apply the plan again.';
  END IF;
END
$postkit$;`;
}

const tempName = (name: string) => `${name.slice(0, 50)}_postkit_new`;

/** Online rewrites apply to an index on an existing, non-partitioned table. */
function online(o: IndexObject, ctx: EmitContext): boolean {
  return ctx.online && !o.partitioned && !ctx.isNew(o.table);
}

export function emitIndex(change: IndexChange, ctx: EmitContext): Step[] {
  const o = change.object;
  const base = { type: "table.index", path: o.path };
  const name = qname(o.schema, o.name);
  if (change.op === "drop") {
    // Half of an online swap: the create half drops the old index once the new one is valid.
    if (change.replace && !change.forced && ctx.desired.has(o.id) && online(ctx.desired.of(o.id, "index") ?? o, ctx)) {
      return [];
    }
    return [
      {
        ...base,
        sql: stmt(`DROP INDEX ${name}`),
        operation: "drop",
        transaction: true,
        lock: "ACCESS EXCLUSIVE",
        hazards: [],
      },
    ];
  }
  if (o.partitioned && ctx.online && !ctx.isNew(o.table) && !change.replace && partitionsCanBuildOnline(o, ctx)) {
    return partitionedOnline(o);
  }
  if (!online(o, ctx)) {
    return [
      {
        ...base,
        sql: stmt(indexSql(o.definition)),
        operation: "create",
        transaction: true,
        lock: ctx.isNew(o.table) ? "none" : "SHARE",
        hazards: ctx.isNew(o.table) ? [] : ["full_scan", "blocks_writes"],
      },
    ];
  }
  if (!change.replace || change.forced) return concurrentIndexSteps(o.definition, o.schema, o.name, o.path, base.type);
  const temp = tempName(o.name);
  return [
    ...concurrentIndexSteps(o.definition, o.schema, temp, o.path, base.type),
    {
      ...base,
      sql: stmt(`DROP INDEX ${name}`),
      operation: "drop",
      transaction: true,
      lock: "ACCESS EXCLUSIVE",
      hazards: [],
    },
    {
      ...base,
      sql: stmt(`ALTER INDEX ${qname(o.schema, temp)} RENAME TO ${ident(o.name)}`),
      operation: "alter",
      transaction: true,
      lock: "ACCESS EXCLUSIVE",
      hazards: [],
    },
  ];
}

/** Every partition is a plain table (a sub-partitioned one cannot take CREATE INDEX CONCURRENTLY). */
function partitionsCanBuildOnline(o: IndexObject, ctx: EmitContext): boolean {
  return o.partitions.every((p) => {
    const table = ctx.desired.of(`table:${pathOf(p.schema, p.table)}`, "table");
    return table !== undefined && !table.partitionKey;
  });
}

/**
 * An index on a partitioned table that holds rows: the parent's index alone (ON ONLY, invalid until complete),
 * then each partition's index CONCURRENTLY under the name the desired side gives it, attached one by one; the
 * parent's index becomes valid when the last one is attached.
 */
function partitionedOnline(o: IndexObject): Step[] {
  const base = { type: "table.index", path: o.path };
  const steps: Step[] = [
    {
      ...base,
      sql: stmt(indexSql(o.definition, { only: true })),
      operation: "create",
      transaction: true,
      lock: "SHARE",
      hazards: [],
    },
  ];
  for (const p of o.partitions) {
    steps.push(...concurrentIndexSteps(p.definition, p.schema, p.name, o.path, base.type));
    steps.push({
      ...base,
      sql: stmt(`ALTER INDEX ${qname(o.schema, o.name)} ATTACH PARTITION ${qname(p.schema, p.name)}`),
      operation: "create",
      transaction: true,
      lock: "SHARE UPDATE EXCLUSIVE",
      hazards: [],
    });
  }
  return steps;
}
