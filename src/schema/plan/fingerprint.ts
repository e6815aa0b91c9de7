/** A fingerprint of an IR: sha256 over its canonical JSON (sorted keys), so equal schemas hash equal. */
import { createHash } from "node:crypto";
import type { SchemaIr } from "../ir/types.js";

export function fingerprintIr(ir: SchemaIr): string {
  return createHash("sha256")
    .update(canonicalJson({ schemas: ir.schemas, objects: ir.objects }))
    .digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
