/**
 * What comments, owners and privileges are attached to: any catalog object another kind registered. The catalog
 * names an object by (classid, objid, objsubid); `pg_identify_object` says what it is and how SQL spells it, so
 * these kinds need no knowledge of the kinds they describe — an object kind added later gets its comments, owner
 * and privileges as soon as it registers its objects.
 *
 * An attribute object's id is `<kind>:<target id><suffix>`. The suffix is empty when the catalog address is the one
 * the target registered; an address that only resolves by folding (a view's column, a constraint's index, a
 * composite type's attribute) gets a suffix naming it, so two attributes never share an id.
 */
import { ident, qname } from "../../emit/sql.js";
import type { IrObjectBase } from "../../ir/types.js";
import type { DiffContext, IntrospectContext } from "../kind.js";

/** SQL columns naming the object at (classid oid, objid oid): select them from a query with `objectNameJoins`. */
export function objectNameColumns(classid: string, objid: string): string {
  return `pk_io.type AS obj_type, pk_io.identity AS obj_identity, pk_ia.object_names AS obj_names, pk_ia.object_args AS obj_args,
          CASE WHEN ${classid} = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN
            (SELECT pg_catalog.quote_ident(pk_pn.nspname) || '.' || pg_catalog.quote_ident(pk_p.proname)
               FROM pg_catalog.pg_proc pk_p JOIN pg_catalog.pg_namespace pk_pn ON pk_pn.oid = pk_p.pronamespace WHERE pk_p.oid = ${objid})
          END AS proc_name,
          CASE WHEN ${classid} = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN
            pg_catalog.pg_get_function_identity_arguments(${objid})
          END AS proc_args`;
}

/** The LATERAL joins that `objectNameColumns` reads from. */
export function objectNameJoins(classid: string, objid: string, subid: string): string {
  return `CROSS JOIN LATERAL pg_catalog.pg_identify_object(${classid}, ${objid}, ${subid}) pk_io
          CROSS JOIN LATERAL pg_catalog.pg_identify_object_as_address(${classid}, ${objid}, ${subid}) pk_ia`;
}

export interface ObjectNameRow {
  obj_type: string;
  obj_identity: string;
  obj_names: string[];
  obj_args: string[];
  proc_name: string | null;
  proc_args: string | null;
}

/**
 * How SQL names one catalog object: `type` is pg_identify_object's (`table`, `view column`, `aggregate`, ...),
 * `name` what follows the keyword in COMMENT ON (`public.users`, `public.users.email`, `public.f(a integer)`,
 * `trg ON public.users`, `pos ON DOMAIN public.d`). For routines, `signature` is the argument-type list GRANT and
 * ALTER FUNCTION accept (aggregates: input types, never `*` or ORDER BY).
 */
export interface ObjectName {
  type: string;
  name: string;
  signature: string | null;
}

export function objectName(r: ObjectNameRow): ObjectName {
  const names = r.obj_names ?? [];
  const args = r.obj_args ?? [];
  if (r.proc_name !== null) {
    const identityArgs = r.proc_args ?? "";
    // COMMENT ON AGGREGATE wants `*` for no arguments and keeps ORDER BY for ordered-set aggregates.
    const commentArgs = r.obj_type === "aggregate" && identityArgs === "" ? "*" : identityArgs;
    const inputArgs = r.obj_type === "aggregate" ? args.join(", ") : identityArgs;
    return { type: r.obj_type, name: `${r.proc_name}(${commentArgs})`, signature: `${r.proc_name}(${inputArgs})` };
  }
  switch (r.obj_type) {
    case "trigger":
    case "policy":
    case "rule":
    case "table constraint":
      return {
        type: r.obj_type,
        name: `${ident(names[2] ?? "")} ON ${qname(names[0] ?? "", names[1] ?? "")}`,
        signature: null,
      };
    case "domain constraint":
      return { type: r.obj_type, name: `${ident(args[0] ?? "")} ON DOMAIN ${names[0] ?? ""}`, signature: null };
    default:
      return { type: r.obj_type, name: r.obj_identity, signature: null };
  }
}

/** The keyword of COMMENT ON / ALTER ... OWNER TO for a pg_identify_object type (undefined: not supported). */
export function objectKeyword(type: string): string | undefined {
  if (type.endsWith(" column")) return "COLUMN";
  switch (type) {
    case "table constraint":
    case "domain constraint":
      return "CONSTRAINT";
    case "statistics object":
      return "STATISTICS";
    case "foreign-data wrapper":
      return "FOREIGN DATA WRAPPER";
    case "table":
    case "index":
    case "sequence":
    case "view":
    case "materialized view":
    case "foreign table":
    case "type":
    case "domain":
    case "function":
    case "procedure":
    case "aggregate":
    case "trigger":
    case "policy":
    case "rule":
    case "schema":
    case "extension":
    case "collation":
    case "conversion":
    case "language":
    case "server":
    case "event trigger":
    case "publication":
    case "access method":
    case "operator":
    case "operator class":
    case "operator family":
    case "text search configuration":
    case "text search dictionary":
    case "text search parser":
    case "text search template":
      return type.toUpperCase();
    default:
      return undefined;
  }
}

/** Relations: pg_identify_object types whose locks are relation locks. */
export function isRelationType(type: string): boolean {
  return ["table", "view", "materialized view", "foreign table", "sequence", "index"].includes(type);
}

/** The step type of an attribute's object in pgschema's vocabulary: `table`, `table.column`, `view.column`. */
export function stepTypeOf(o: AttributeObject, ctx: DiffContext): string {
  const t = ctx.desired.get(o.parent) ?? ctx.current.get(o.parent);
  if (!t) return o.object.type.replace(/ /g, "_");
  const parent = t.parent ? (ctx.desired.get(t.parent) ?? ctx.current.get(t.parent)) : undefined;
  const base = parent ? `${parent.kind}.${t.kind}` : t.kind;
  return o.suffix ? `${base}.${o.object.type.split(" ").at(-1)}` : base;
}

/** Where an attribute object points: the target's IR id and the suffix of its own id. */
export interface AttributeTarget {
  target: string;
  suffix: string;
}

/**
 * Resolves a catalog address to the IR object it describes. Exact registrations first; folded addresses get a
 * suffix (`#view column public.v.id`) unless `exactOnly`. Undefined: the object is not part of the IR (a system
 * object, an extension member, an object of a kind the engine does not know yet).
 */
export function attributeTarget(
  ctx: IntrospectContext,
  classid: string,
  objid: number,
  subid: number,
  name: ObjectName,
  exactOnly = false,
): AttributeTarget | undefined {
  const exact = ctx.registered(classid, objid, subid);
  if (exact) return { target: exact, suffix: "" };
  if (exactOnly && subid === 0) return undefined;
  const resolved = ctx.resolve(classid, objid, subid);
  if (!resolved) return undefined;
  if (exactOnly && ctx.registered(classid, objid, 0) !== resolved) return undefined;
  return { target: resolved, suffix: `#${name.type} ${name.name}` };
}

/** Fields every attribute object (comment, owner, privilege) has. */
export interface AttributeFields {
  /** IR id of the described object, as introspected (`parent` follows a declared rename; this does not). */
  target: string;
  /** Empty, or `#<type> <name>` for an address that folds into the target. */
  suffix: string;
  /** How SQL names the object. */
  object: ObjectName;
}

export type AttributeObject = IrObjectBase & AttributeFields & { parent: string };

/** Base fields of an attribute object of `kind` for `target`; its path is the target's. */
export function attributeBase(
  kind: string,
  t: AttributeTarget,
  object: ObjectName,
  ctx: IntrospectContext,
): IrObjectBase & AttributeFields & { parent: string } {
  const described = ctx.get(t.target);
  // A folded address is shown by its own name (`public.v.id` for a view's column).
  const path = t.suffix ? object.name : (described?.path ?? t.target.slice(t.target.indexOf(":") + 1));
  return {
    id: `${kind}:${t.target}${t.suffix}`,
    kind,
    schema: described?.schema ?? null,
    name: described?.name ?? object.name,
    path,
    parent: t.target,
    target: t.target,
    suffix: t.suffix,
    object,
    deps: [t.target],
    owners: [t.target],
  };
}

/**
 * A declared rename moves the target (the current side is rewritten with the new ids and `parent` re-pointed),
 * but an attribute's id still carries the old target id. Its counterpart on the desired side is the attribute
 * of the same kind and suffix on the renamed target.
 */
export function renamedTwin<O extends AttributeObject>(current: O, ctx: DiffContext): O | undefined {
  if (current.parent === current.target) return undefined;
  return ctx.desired.get(`${current.kind}:${current.parent}${current.suffix}`) as O | undefined;
}

/** Whether a desired attribute is the twin of a renamed current one (which then carries the comparison). */
export function hasRenamedTwin(desired: AttributeObject, ctx: DiffContext): boolean {
  return ctx.current.allChildren(desired.target).some((o) => {
    const a = o as AttributeObject;
    return a.kind === desired.kind && a.target !== a.parent && a.suffix === desired.suffix;
  });
}

/**
 * The SQL name of an attribute's object as it is when the step runs: after a declared rename of the target, the
 * current side's name is stale, so the desired side's spelling is taken from another attribute of the renamed
 * target (its owner, privileges or comment).
 */
export function currentObjectName(o: AttributeObject, ctx: DiffContext): ObjectName | undefined {
  if (o.parent === o.target) return o.object;
  for (const kind of ["owner", "privilege", "comment"]) {
    const twin = ctx.desired.get(`${kind}:${o.parent}${o.suffix}`) as AttributeObject | undefined;
    if (twin) return twin.object;
  }
  // Renamed, and no way to spell the new name: the caller leaves it to the next plan rather than fail this one.
  return undefined;
}
