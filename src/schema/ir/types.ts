/**
 * The plan engine's intermediate representation: plain, serialisable data describing a database's schema, the
 * same shape for the current side (a live database) and the desired side (the temporary database the schema files
 * were loaded into). Every object kind adds its own object type to `IrObjectTypes` by declaration merging (see
 * `kinds/<kind>/types.ts`), so the union `IrObject` grows with the registry without editing this file.
 */

/** What every object has. Ids are `<kind>:<path>`, e.g. `table:public.users`, `column:public.users.email`. */
export interface IrObjectBase {
  id: string;
  /** The registry key of the kind that introspects, compares and emits this object. */
  kind: string;
  /** Schema the object lives in (null for schemas and extensions themselves). */
  schema: string | null;
  /** Unqualified name (for columns and constraints: the name within the table). */
  name: string;
  /** Dotted path shown in plans: `public.users.email`. */
  path: string;
  /** The object this one is part of (a column's table, an index's table, a comment's target). */
  parent?: string;
  /**
   * Ids this object needs to exist before it can be created (and must be dropped before them). Filled by the
   * framework from pg_depend; kinds may add their own.
   */
  deps: string[];
  /** Ids whose drop drops this object too (pg_depend "auto" and "internal" edges, and the parent). */
  owners: string[];
}

/** Kind name -> object type. Augmented by each kind module (`declare module`). */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging from each kind
export interface IrObjectTypes {}

/** Any object of any registered kind. */
export type IrObject = IrObjectTypes[keyof IrObjectTypes] extends never
  ? IrObjectBase
  : IrObjectTypes[keyof IrObjectTypes];

/** One side of a comparison. */
export interface SchemaIr {
  /** server_version_num of the server the IR was read from. */
  serverVersion: number;
  /** The schemas that were read (the managed set). */
  schemas: string[];
  /** Objects by id, in a stable order (kind rank, then id). */
  objects: Record<string, IrObject>;
}

/** A catalog address: (classid as a regclass name, objid, objsubid), as in pg_depend and pg_description. */
export interface CatalogAddress {
  classid: string;
  objid: number;
  subid: number;
}

export function addressKey(classid: string, objid: number | string, subid: number | string = 0): string {
  return `${classid}:${objid}:${subid}`;
}

/** Typed access to an object of a known kind. */
export function objectOf<K extends keyof IrObjectTypes>(
  ir: SchemaIr,
  id: string,
  kind: K,
): IrObjectTypes[K] | undefined {
  const o = ir.objects[id];
  return o && o.kind === kind ? (o as unknown as IrObjectTypes[K]) : undefined;
}

/** All objects of one kind. */
export function objectsOfKind<K extends keyof IrObjectTypes>(ir: SchemaIr, kind: K): IrObjectTypes[K][] {
  return Object.values(ir.objects).filter((o) => o.kind === kind) as unknown as IrObjectTypes[K][];
}

/**
 * A dotted path from name parts (`public.users.email`). A part that contains a dot or a double quote is quoted
 * the SQL way, so paths stay unambiguous; ids are `<kind>:<path>`.
 */
export function pathOf(...parts: string[]): string {
  return parts
    .map((p) => (p.includes(".") || p.includes('"') || p === "" ? `"${p.replace(/"/g, '""')}"` : p))
    .join(".");
}
