/**
 * Drift: what changed on the target between two catalog snapshots (the one taken before the rehearsal's clone and
 * the one taken under the migration lock just before applying), named object by object for the drift report.
 */
import type { Reporter } from "../context.js";
import { type CatalogSnapshot, objectKey } from "./catalog-snapshot.js";

export interface DriftEntry {
  change: "added" | "removed" | "changed";
  kind: string;
  name: string;
  /** Definition before (removed, changed). */
  before?: string;
  /** Definition after (added, changed). */
  after?: string;
}

/** Every object added, removed or changed from `before` to `after`, sorted by kind and name. */
export function diffSnapshots(before: CatalogSnapshot, after: CatalogSnapshot): DriftEntry[] {
  const entries: DriftEntry[] = [];
  for (const [key, old] of before.objects) {
    const now = after.objects.get(key);
    if (!now) entries.push({ change: "removed", kind: old.kind, name: old.name, before: old.definition });
    else if (now.definition !== old.definition) {
      entries.push({
        change: "changed",
        kind: old.kind,
        name: old.name,
        before: old.definition,
        after: now.definition,
      });
    }
  }
  for (const [key, now] of after.objects) {
    if (!before.objects.has(key))
      entries.push({ change: "added", kind: now.kind, name: now.name, after: now.definition });
  }
  return entries.sort((a, b) => compare(objectKey(a), objectKey(b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "added column public.customers.nickname: text". */
export function describeDrift(e: DriftEntry, width = 160): string {
  const clip = (s: string | undefined) => {
    const one = (s ?? "").replace(/\s+/g, " ").trim();
    return one.length > width ? `${one.slice(0, width - 1)}…` : one;
  };
  if (e.change === "added") return `added ${e.kind} ${e.name}${e.after ? `: ${clip(e.after)}` : ""}`;
  if (e.change === "removed") return `removed ${e.kind} ${e.name}`;
  return `changed ${e.kind} ${e.name}: ${clip(e.before)}  ->  ${clip(e.after)}`;
}

export function renderDrift(reporter: Reporter, entries: DriftEntry[], limit = 50): void {
  for (const e of entries.slice(0, limit))
    reporter.line(`  ${e.change === "added" ? "+" : e.change === "removed" ? "-" : "~"} ${describeDrift(e)}`);
  if (entries.length > limit) reporter.line(`  ... and ${entries.length - limit} more (all of them are in --json)`);
}
