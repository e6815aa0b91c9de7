/**
 * A fingerprint of an IR: sha256 over its JSON. Introspection builds every object with the same code for both
 * sides and sorts objects (and their dependency lists) by id, so equal schemas serialise identically and plain
 * JSON.stringify is canonical here (and several times faster than sorting keys on a large schema).
 */
import { createHash } from "node:crypto";
import type { SchemaIr } from "../ir/types.js";

export function fingerprintIr(ir: SchemaIr): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(ir.schemas));
  for (const id of Object.keys(ir.objects).sort()) hash.update(JSON.stringify(ir.objects[id]));
  return hash.digest("hex");
}
