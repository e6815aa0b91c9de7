/**
 * Declared renames (`-- postkit:renamed-from <old>` in the schema files). Before comparing, the current side is
 * rewritten as if the renames had happened — the object gets its new name, definitions that mention it are
 * updated, and implicitly named constraints, indexes and sequences that follow PostgreSQL's naming pattern
 * (`<table>_<column>_key`, `<table>_pkey`, `<table>_<column>_seq`) are renamed along when the desired side has
 * them under the new pattern. The compare stage then sees equal objects, and the plan renames instead of
 * dropping and re-adding (which would lose the data). A hint that no longer applies (already renamed) is ignored,
 * so plans converge.
 */

import { quoteIdent } from "../../pg/client.js";
import { type IrObject, type IrObjectBase, pathOf, type SchemaIr } from "../ir/types.js";
import { splitIndexDefinition } from "../kinds/index/emit.js";
import type { AnyKindHandler } from "../kinds/kind.js";
import type { ChangeBase } from "./change.js";
import { renameColumnRefs, renameQualified } from "./identifiers.js";

export type RenameHint =
  | { target: "object"; kind: string; schema: string; name: string; from: string; source?: string }
  | { target: "column"; schema: string; table: string; name: string; from: string; source?: string };

export interface RenameChange extends ChangeBase {
  op: "rename";
  /** The object as it is on the current side (with earlier renames of its table applied). */
  from: IrObjectBase;
  newName: string;
}

type Mutable = IrObject & Record<string, unknown>;

export function applyRenames(
  current: SchemaIr,
  desired: SchemaIr,
  hints: RenameHint[],
  _kinds: readonly AnyKindHandler[],
): { current: SchemaIr; changes: RenameChange[] } {
  if (!hints.length) return { current, changes: [] };
  const objs = new Map<string, Mutable>(
    Object.entries(current.objects).map(([id, o]) => [id, structuredClone(o) as Mutable]),
  );
  const idMap = new Map<string, string>();
  /** Tables whose name or columns were renamed: implicitly named objects follow. */
  const implicit = new Map<string, { oldName: string; newName: string; schema: string; columns: [string, string][] }>();
  const changes: RenameChange[] = [];
  const want = (id: string) => id in desired.objects;

  const move = (o: Mutable, newId: string, newName: string, newPath: string) => {
    objs.delete(o.id);
    idMap.set(o.id, newId);
    Object.assign(o, { id: newId, name: newName, path: newPath });
    objs.set(newId, o);
  };
  const rename = (o: Mutable, newName: string, newPath: string): Mutable | undefined => {
    const newId = `${o.kind}:${newPath}`;
    if (objs.has(newId) || !want(newId)) return undefined;
    changes.push({ kind: o.kind, op: "rename", id: newId, from: structuredClone(o), newName, frees: [nameKey(o)] });
    move(o, newId, newName, newPath);
    changes.at(-1)!.claims = [nameKey(o)];
    return o;
  };

  for (const hint of hints.filter((h) => h.target === "object")) {
    const oldId = `${hint.kind}:${pathOf(hint.schema, hint.from)}`;
    const o = objs.get(oldId);
    if (!o || want(oldId)) continue;
    const oldName = o.name;
    if (!rename(o, hint.name, pathOf(hint.schema, hint.name))) continue;
    if (o.kind === "table") renamedTable(o, oldName);
    if (o.kind === "type") {
      for (const x of objs.values()) {
        if (x.kind === "column") {
          x.type = renameQualified(String(x.type), hint.schema, oldName, hint.name);
          if (x.default) x.default = renameQualified(String(x.default), hint.schema, oldName, hint.name);
        }
      }
    }
  }
  for (const hint of hints.filter((h) => h.target === "column")) {
    const oldId = `column:${pathOf(hint.schema, hint.table, hint.from)}`;
    const o = objs.get(oldId);
    if (!o || want(oldId)) continue;
    if (!rename(o, hint.name, pathOf(hint.schema, hint.table, hint.name))) continue;
    renamedColumn(hint.schema, hint.table, hint.from, hint.name);
  }

  function renamedTable(table: Mutable, oldName: string): void {
    const schema = String(table.schema);
    const newName = table.name;
    const oldTableId = [...idMap].find(([, v]) => v === table.id)![0];
    for (const x of [...objs.values()]) {
      if (x.parent === oldTableId) {
        const newPath = pathOf(schema, newName, x.name);
        if (x.kind === "column" || x.kind === "constraint") move(x, `${x.kind}:${newPath}`, x.name, newPath);
        x.parent = table.id;
        if ("table" in x) x.table = table.id;
        if ("tableName" in x) x.tableName = newName;
      }
      for (const field of ["definition", "default", "type"] as const) {
        if (typeof x[field] === "string") x[field] = renameQualified(x[field] as string, schema, oldName, newName);
      }
      const owner =
        x.kind === "sequence"
          ? (x.ownedBy as { id: string; schema: string; table: string; column: string } | null)
          : null;
      if (owner && owner.schema === schema && owner.table === oldName) {
        x.ownedBy = { ...owner, table: newName, id: `column:${pathOf(schema, newName, owner.column)}` };
      }
      if (x.kind === "constraint" && typeof x.indexDefinition === "string") {
        x.indexDefinition = renameQualified(x.indexDefinition, schema, oldName, newName);
      }
    }
    implicit.set(table.id, { ...(implicit.get(table.id) ?? { columns: [] }), oldName, newName, schema });
  }

  function renamedColumn(schema: string, tableName: string, from: string, to: string): void {
    const tableId = `table:${pathOf(schema, tableName)}`;
    for (const x of [...objs.values()]) {
      if (x.parent === tableId) {
        if (x.kind === "constraint") {
          const def = String(x.definition);
          const at = def.indexOf(" REFERENCES ");
          x.definition =
            at < 0 ? renameColumnRefs(def, from, to) : renameColumnRefs(def.slice(0, at), from, to) + def.slice(at);
          x.columns = (x.columns as string[]).map((c) => (c === from ? to : c));
        }
        if (x.kind === "index") {
          const { head, name, tail } = splitIndexDefinition(String(x.definition));
          const using = tail.indexOf(" USING ");
          x.definition = head + name + tail.slice(0, using) + renameColumnRefs(tail.slice(using), from, to);
          x.columns = (x.columns as (string | null)[]).map((c) => (c === from ? to : c));
        }
        if (x.kind === "column" && x.generated) {
          const g = x.generated as { expression: string };
          g.expression = renameColumnRefs(g.expression, from, to);
        }
      }
      if (x.kind === "constraint" && x.type === "foreign_key") {
        const def = String(x.definition);
        const at = def.indexOf(" REFERENCES ");
        const target = at >= 0 ? def.slice(at) : "";
        const quoted = ` REFERENCES ${pathOf(schema, tableName)}(`;
        if (target.startsWith(quoted) || target.startsWith(` REFERENCES ${schema}.${tableName}(`)) {
          x.definition = def.slice(0, at) + renameColumnRefs(target, from, to);
        }
      }
      if (
        x.kind === "sequence" &&
        (x.ownedBy as { id: string } | null)?.id === `column:${pathOf(schema, tableName, from)}`
      ) {
        const owner = x.ownedBy as { id: string; schema: string; table: string; column: string };
        x.ownedBy = { ...owner, id: `column:${pathOf(schema, tableName, to)}`, column: to };
      }
    }
    const entry = implicit.get(tableId) ?? { columns: [], oldName: tableName, newName: tableName, schema };
    entry.columns.push([from, to]);
    implicit.set(tableId, entry);
  }

  function renameAlong(x: Mutable, candidate: string, schema: string, tableName: string): void {
    const path =
      x.kind === "constraint" || x.kind === "column" ? pathOf(schema, tableName, candidate) : pathOf(schema, candidate);
    const oldName = x.name;
    if (!rename(x, candidate, path)) return;
    if (x.kind === "sequence") {
      for (const c of objs.values()) {
        if (c.kind === "column" && typeof c.default === "string")
          c.default = renameQualified(c.default, schema, oldName, candidate);
      }
    }
    if (x.kind === "index" || x.kind === "constraint") {
      const field = x.kind === "index" ? "definition" : "indexDefinition";
      if (typeof x[field] === "string") {
        const { head, tail } = splitIndexDefinition(x[field] as string);
        x[field] = `${head}${quoteIdent(candidate)}${tail}`;
      }
    }
  }

  // Implicit names (`<table>_<column>_key`, `<table>_pkey`, `<table>_<column>_seq`) follow the renames when the
  // desired side has the object under the new name.
  for (const [tableId, r] of implicit) {
    for (const x of [...objs.values()]) {
      const belongs = x.parent === tableId || (x.kind === "sequence" && ownedByTable(x, tableId));
      if (!belongs || want(x.id)) continue;
      let candidate = x.name;
      if (r.oldName !== r.newName && candidate.startsWith(`${r.oldName}_`)) {
        candidate = `${r.newName}${candidate.slice(r.oldName.length)}`;
      }
      for (const [from, to] of r.columns) {
        candidate = candidate.replace(new RegExp(`(?<=_)${escapeRegExp(from)}(?=_)`), to);
      }
      if (candidate !== x.name) renameAlong(x, candidate, r.schema, r.newName);
    }
  }

  // Re-point every reference to a moved id; an object can move twice (a key moves with its table, then is renamed).
  const moved = (id: string): string => {
    let at = id;
    for (let hops = 0; hops < 8 && idMap.has(at); hops++) at = idMap.get(at)!;
    return at;
  };
  for (const x of objs.values()) {
    x.deps = x.deps.map(moved);
    x.owners = x.owners.map(moved);
    if (x.parent) x.parent = moved(x.parent);
    if (typeof x.table === "string") x.table = moved(x.table);
  }
  const objects: Record<string, IrObject> = {};
  for (const [id, o] of objs) objects[id] = o;
  return { current: { ...current, objects }, changes };
}

function ownedByTable(x: Mutable, tableId: string): boolean {
  const owner = x.ownedBy as { id: string } | null;
  return !!owner && owner.id.startsWith(`column:${tableId.slice("table:".length)}.`);
}

/** The name-space key a rename frees and claims. */
function nameKey(o: IrObjectBase): string {
  switch (o.kind) {
    case "column":
    case "constraint":
      return `con:${o.path}`;
    case "type":
      return `type:${o.path}`;
    default:
      return `rel:${o.path}`;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
