/**
 * Indexes over one SchemaIr, built once: children by parent, dependents by dependency, owned objects by owner.
 * The pure stages ask these questions for every object, so a linear scan per question would make planning
 * quadratic in the size of the schema.
 */
import type { IrObject, IrObjectTypes, SchemaIr } from "./types.js";

export class IrLookup {
  private readonly children = new Map<string, IrObject[]>();
  private readonly dependents = new Map<string, string[]>();
  private readonly owned = new Map<string, string[]>();

  constructor(readonly ir: SchemaIr) {
    for (const o of Object.values(ir.objects)) {
      if (o.parent) push(this.children, o.parent, o);
      for (const d of o.deps) push(this.dependents, d, o.id);
      for (const d of o.owners) push(this.owned, d, o.id);
    }
  }

  get(id: string): IrObject | undefined {
    return this.ir.objects[id];
  }

  has(id: string): boolean {
    return id in this.ir.objects;
  }

  /** Typed access; undefined when the id is absent or of another kind. */
  of<K extends keyof IrObjectTypes>(id: string | undefined, kind: K): IrObjectTypes[K] | undefined {
    if (!id) return undefined;
    const o = this.ir.objects[id];
    return o && o.kind === kind ? (o as unknown as IrObjectTypes[K]) : undefined;
  }

  /** Objects whose parent is `id`, optionally of one kind, in IR order. */
  childrenOf<K extends keyof IrObjectTypes>(id: string, kind: K): IrObjectTypes[K][] {
    return (this.children.get(id) ?? []).filter((o) => o.kind === kind) as unknown as IrObjectTypes[K][];
  }

  allChildren(id: string): IrObject[] {
    return this.children.get(id) ?? [];
  }

  /** Ids of objects that list `id` among their dependencies. */
  dependentsOf(id: string): string[] {
    return this.dependents.get(id) ?? [];
  }

  /** Ids of objects dropped together with `id`. */
  ownedBy(id: string): string[] {
    return this.owned.get(id) ?? [];
  }

  ofKind<K extends keyof IrObjectTypes>(kind: K): IrObjectTypes[K][] {
    return Object.values(this.ir.objects).filter((o) => o.kind === kind) as unknown as IrObjectTypes[K][];
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
