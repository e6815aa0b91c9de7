/** Rename hints as written, resolved against the desired database's objects (unqualified names via search_path). */
import type { RenameHint } from "../compare/renames.js";
import { pathOf, type SchemaIr } from "../ir/types.js";
import type { RawRenameHint } from "./hints.js";

export function resolveRenameHints(raw: RawRenameHint[], desired: SchemaIr): RenameHint[] {
  const out: RenameHint[] = [];
  for (const h of raw) {
    const candidates = h.schema ? [h.schema] : h.searchPath.length ? h.searchPath : ["public"];
    if (h.target === "column") {
      const schema =
        candidates.find((s) => `table:${pathOf(s, h.table ?? "")}` in desired.objects) ?? candidates[0] ?? "public";
      out.push({ target: "column", schema, table: h.table ?? "", name: h.name, from: h.from, source: h.source });
    } else {
      const schema =
        candidates.find((s) => `${h.kind}:${pathOf(s, h.name)}` in desired.objects) ?? candidates[0] ?? "public";
      out.push({ target: "object", kind: h.kind, schema, name: h.name, from: h.from, source: h.source });
    }
  }
  return out;
}
