/**
 * "Did you mean ...?" for unknown config keys: the keys the schema allows at the same place, by edit distance.
 * A typo such as "schemaPaths" is otherwise only a warning while the real key silently keeps its default.
 */
import type { z } from "zod";
import { configSchema } from "./schema.js";

type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
}

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips wrappers (default, optional, ...) down to the object, record or leaf schema. */
function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = defOf(current);
    const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (!inner) return current;
    current = inner;
  }
  return current;
}

/** The keys the schema allows in the object at `path` (record keys are skipped over), if it is an object. */
export function knownKeysAt(path: readonly PropertyKey[], root: AnySchema = configSchema): string[] | undefined {
  let node = unwrap(root);
  for (const key of path) {
    const def = defOf(node);
    if (def.type === "object" && def.shape) {
      const next = def.shape[String(key)];
      if (!next) return undefined;
      node = unwrap(next);
    } else if (def.type === "record" && def.valueType) {
      node = unwrap(def.valueType);
    } else {
      return undefined;
    }
  }
  const def = defOf(node);
  return def.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest allowed key to an unknown one, when it is close enough to be a typo. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: { key: string; d: number } | undefined;
  for (const key of known) {
    const d = key.toLowerCase() === lower ? 0 : distance(lower, key.toLowerCase());
    if (!best || d < best.d) best = { key, d };
  }
  const limit = Math.max(1, Math.min(3, Math.floor(unknown.length / 3)));
  return best && best.d <= limit ? best.key : undefined;
}
