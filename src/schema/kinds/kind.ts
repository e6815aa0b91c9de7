/**
 * The contract every object kind implements. A kind lives in `src/schema/kinds/<kind>/` (types, introspect,
 * compare, emit) and is listed once in `registry.ts`; the framework does the rest: dependencies from pg_depend,
 * implicit drops, cascading recreation, ordering, grouping and rendering.
 */
import type { Queryable } from "../../pg/client.js";
import type { ChangeBase } from "../compare/change.js";
import type { IrLookup } from "../ir/lookup.js";
import type { CatalogAddress, IrObject, IrObjectBase } from "../ir/types.js";
import type { Step } from "../plan/types.js";

export interface IntrospectContext {
  db: Queryable;
  /** server_version_num, e.g. 160004. */
  serverVersion: number;
  /** Managed schema names: pass as `$1` and filter with `n.nspname = ANY($1)`. */
  schemas: string[];
  /** Registers an object and the catalog addresses that denote it (for pg_depend, pg_description, ...). */
  add(object: IrObject | IrObjectBase, ...addresses: CatalogAddress[]): void;
  /** An object registered earlier (kinds run in registry order). */
  get(id: string): IrObject | undefined;
  /** The IR id a catalog address resolves to, once every kind has registered its objects (link phase only). */
  resolve(classid: string, objid: number, subid?: number): string | undefined;
  /**
   * The IR id of the object this address names: the first address the object was registered with, without
   * folding. Other addresses that resolve to an object (an index that implements a constraint, a view's column,
   * an array type, a domain's CHECK constraint registered along with the domain) give undefined.
   */
  registered(classid: string, objid: number, subid?: number): string | undefined;
}

export interface DiffContext {
  current: IrLookup;
  desired: IrLookup;
  /** Online rewrites (CONCURRENTLY, NOT VALID + VALIDATE) on objects that already exist. */
  online: boolean;
  /** server_version_num of the server both sides were read from. */
  serverVersion: number;
}

export interface EmitContext extends DiffContext {
  /** The object does not exist on the current side, or is being recreated in this plan. */
  isNew(id: string): boolean;
}

/** How a pg_depend edge between two registered objects is recorded. */
export type EdgeUse = "deps" | "owners" | "both" | "none";

export interface KindHandler<O extends IrObjectBase = IrObjectBase, C extends ChangeBase = ChangeBase> {
  /** Registry key; also the `kind` of the objects and changes this handler owns. */
  kind: string;
  /**
   * Position among kinds when nothing else decides the order: creates follow ascending rank (schemas before
   * types before tables before indexes), drops descending.
   */
  rank: number;
  /**
   * Can an object of this kind be dropped and created again without losing data? Views and indexes can, tables and
   * columns cannot (generated columns can: their values are derived). A function decides per object. The framework
   * refuses a plan that would need to recreate an object that cannot.
   */
  recreatable: boolean | ((object: O) => boolean);
  /** Reads this kind's objects from the catalog (search_path is pg_catalog, so deparsed names are qualified). */
  introspect?(ctx: IntrospectContext): Promise<void>;
  /** After every kind has registered its objects and pg_depend has been resolved: cross-kind facts. */
  link?(ctx: IntrospectContext): Promise<void>;
  /** Overrides how a pg_depend edge from an object of this kind is recorded (default: n -> deps, a/i -> both). */
  edge?(from: O, to: IrObject, deptype: string): EdgeUse;
  /**
   * Compares one object present on either or both sides (same id after renames) and returns the changes. A
   * present-on-one-side object is a create or a drop; objects created inside their parent's statement (columns
   * of a new table) return nothing.
   */
  diff(current: O | undefined, desired: O | undefined, ctx: DiffContext): C[];
  /** The SQL steps of one change. */
  emit(change: C, ctx: EmitContext): Step[];
  /** Renames an object in place (declared renames); absent for kinds that cannot be renamed. */
  rename?(object: O, newName: string, ctx: EmitContext): Step[];
}

/** A handler with its types erased, as the registry holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds handlers of every kind; each is typed in its module
export type AnyKindHandler = KindHandler<any, any>;
