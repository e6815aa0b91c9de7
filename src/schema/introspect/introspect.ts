/**
 * Reads one database into the IR: every registered kind runs its catalog queries on one connection, then
 * pg_depend is resolved into dependency edges, then the kinds' link hooks run. The same code reads the current
 * database and the desired-state database, so equal schemas give equal IR.
 */
import type { Queryable } from "../../pg/client.js";
import type { IrObject, IrObjectBase, SchemaIr } from "../ir/types.js";
import { addressKey } from "../ir/types.js";
import type { AnyKindHandler, EdgeUse, IntrospectContext } from "../kinds/kind.js";
import { AddressResolver, readDependencies } from "./dependencies.js";

export interface IntrospectOptions {
  schemas: string[];
  kinds: readonly AnyKindHandler[];
  /** Aborts between queries (Ctrl-C). */
  signal?: AbortSignal;
}

export async function serverVersionOf(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(rows[0]?.v);
}

export async function introspect(db: Queryable, options: IntrospectOptions): Promise<SchemaIr> {
  const serverVersion = await serverVersionOf(db);
  const objects = new Map<string, IrObject>();
  const registered = new Map<string, string>();
  // The first address an object was registered with: the one that names it (a domain's pg_type row, not the
  // pg_constraint rows of its CHECKs that resolve to it too).
  const primary = new Map<string, string>();
  let resolver: AddressResolver | undefined;
  const ctx: IntrospectContext = {
    db,
    serverVersion,
    schemas: options.schemas,
    add(object, ...addresses) {
      objects.set(object.id, object as IrObject);
      for (const a of addresses) {
        const key = addressKey(a.classid, a.objid, a.subid);
        registered.set(key, object.id);
        if (!primary.has(object.id)) primary.set(object.id, key);
      }
    },
    get: (id) => objects.get(id),
    resolve(classid, objid, subid = 0) {
      if (!resolver) throw new Error("resolve() is only available in the link phase");
      return resolver.resolve(classid, objid, subid);
    },
    registered(classid, objid, subid = 0) {
      const key = addressKey(classid, objid, subid);
      const id = registered.get(key);
      return id !== undefined && primary.get(id) === key ? id : undefined;
    },
  };
  // Deparse with only pg_catalog on the path so every other name comes out schema-qualified, the same on both sides.
  const { rows: saved } = await db.query<{ p: string }>("SELECT current_setting('search_path') AS p");
  await db.query("SELECT pg_catalog.set_config('search_path', 'pg_catalog', false)");
  try {
    for (const kind of options.kinds) {
      options.signal?.throwIfAborted();
      await kind.introspect?.(ctx);
    }
    resolver = new AddressResolver(registered);
    const rows = await readDependencies(db);
    resolver.addFolds(rows);
    const handlers = new Map(options.kinds.map((k) => [k.kind, k]));
    for (const r of rows) {
      if (r.deptype === "e") continue;
      const { from, to } = resolver.resolveRow(r);
      if (!from || !to || from === to) continue;
      const source = objects.get(from);
      const target = objects.get(to);
      if (!source || !target) continue;
      const use: EdgeUse = handlers.get(source.kind)?.edge?.(source, target, r.deptype) ?? defaultEdge(r.deptype);
      if (use === "deps" || use === "both") addUnique(source.deps, to);
      if (use === "owners" || use === "both") addUnique(source.owners, to);
    }
    for (const kind of options.kinds) {
      options.signal?.throwIfAborted();
      await kind.link?.(ctx);
    }
  } finally {
    await db.query("SELECT pg_catalog.set_config('search_path', $1, false)", [saved[0]?.p ?? "public"]);
  }
  return { serverVersion, schemas: [...options.schemas].sort(), objects: sortObjects(objects, options.kinds) };
}

function defaultEdge(deptype: string): EdgeUse {
  return deptype === "n" ? "deps" : "both";
}

function addUnique(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
}

/** Stable order: kind rank, then id; dependency lists sorted, so two reads of one schema serialise identically. */
function sortObjects(objects: Map<string, IrObject>, kinds: readonly AnyKindHandler[]): Record<string, IrObject> {
  const rank = new Map(kinds.map((k) => [k.kind, k.rank]));
  const list = [...objects.values()].sort(
    (a, b) => (rank.get(a.kind) ?? 999) - (rank.get(b.kind) ?? 999) || compareText(a.id, b.id),
  );
  const out: Record<string, IrObject> = {};
  for (const o of list) {
    const base = o as IrObjectBase;
    base.deps.sort(compareText);
    base.owners.sort(compareText);
    out[o.id] = o;
  }
  return out;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
