/**
 * Changes: what compare produces and emit turns into SQL. Each kind adds its own change type to `ChangeTypes` by
 * declaration merging, so `Change` is a discriminated union (on `kind`, then the kind's own `action`) that grows
 * with the registry. The fields here are the ones the framework needs to order changes; everything else is the
 * kind's business.
 */

export type ChangeOp = "create" | "drop" | "alter" | "rename";

export interface ChangeBase {
  /** Registry key of the kind whose emitter turns this change into SQL. */
  kind: string;
  op: ChangeOp;
  /** The object the change is about: its desired-side id (create, alter, rename) or current-side id (drop). */
  id: string;
  /**
   * A drop or create that is half of a replace (the object exists on both sides but cannot be altered in place).
   * Set by compare; the framework clears it on a create whose drop half became implicit.
   */
  replace?: boolean;
  /**
   * Set by the framework on the drop and create of an object recreated because of another change (a dependent of
   * a dropped or replaced object): the old object must really be gone before that change, so no online swap.
   */
  forced?: boolean;
  /** More ids (desired side) whose creation or alteration must come first. */
  after?: string[];
  /** More ids (current side) whose drop must come first. */
  afterDropOf?: string[];
  /** Names this change needs to be free (`rel:schema.name`, `type:schema.name`, `con:schema.table.name`). */
  claims?: string[];
  /** Names this change releases. */
  frees?: string[];
  /**
   * PostgreSQL refuses this change while other objects depend on the object (ALTER COLUMN TYPE under a view, an
   * enum swap): the framework drops those dependents before and recreates them after. `exceptKinds` lists the
   * kinds PostgreSQL rebuilds by itself (e.g. indexes on an altered column).
   */
  recreateDependents?: { exceptKinds?: string[] };
}

/** Kind name -> that kind's change type. Augmented by each kind module. */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging from each kind
export interface ChangeTypes {}

export type Change = ChangeTypes[keyof ChangeTypes] extends never ? ChangeBase : ChangeTypes[keyof ChangeTypes];

/** A drop that PostgreSQL performs by itself when another object is dropped (a table's columns and indexes). */
export interface ImplicitDrop {
  id: string;
  /** The change whose statement drops it. */
  by: string;
}
