/**
 * The rehearsal report for humans: per migration a table of its statements (time, rows, locks taken, rewrites),
 * then what matters before production: locks that block reads or writes and how long they were held, and tables
 * rewritten with their size. The same data is in --json, complete.
 */
import type { Reporter } from "../context.js";
import { formatBytes, formatMs } from "../util/format.js";
import { blocksReads, blocksWrites, lockStrength } from "./probes.js";
import type { LockReport, MigrationReport, RunReport } from "./report.js";
import { summarize } from "./statements.js";

export function renderRunReport(reporter: Reporter, report: RunReport, options: { title?: string } = {}): void {
  const settings = [
    `PostgreSQL ${report.serverVersion}`,
    `lock_timeout ${report.lockTimeout ?? "default"}`,
    `statement_timeout ${report.statementTimeout ?? "default"}`,
  ].join(", ");
  reporter.heading(options.title ?? `Rehearsal report: ${report.target}`);
  reporter.info(settings);
  for (const m of report.migrations) renderMigration(reporter, m);
  reporter.blank();
}

function renderMigration(reporter: Reporter, m: MigrationReport): void {
  reporter.blank();
  const mode = m.transaction ? "one transaction" : "transaction:false, statement by statement";
  const time = m.durationMs === null ? "" : `, ${formatMs(m.durationMs)}`;
  reporter.line(`${m.file}  (${m.status}; ${mode}; ${m.statements.length} statement(s)${time})`);
  if (m.note) reporter.info(m.note);
  if (m.statements.length === 0 || m.status === "already-applied" || m.status === "skipped") return;
  reporter.table(
    ["#", "line", "statement", "time", "rows", "locks taken", "rewritten"],
    m.statements.map((s) => [
      String(s.index),
      String(s.line),
      summarize(s.sql, 48),
      s.status === "ok" ? formatMs(s.durationMs ?? 0) : s.status,
      s.rows === null ? "-" : String(s.rows),
      formatLocks(s.locks) + (s.waitedForLock ? " (waited)" : ""),
      s.rewrites.length
        ? s.rewrites.map((r) => `${r.relation}${r.bytes ? ` (${formatBytes(r.bytes)})` : ""}`).join(", ")
        : "-",
    ]),
  );
  for (const s of m.statements) for (const note of s.notes ?? []) reporter.info(`statement ${s.index}: ${note}`);
  if (!m.transaction && m.statements.some((s) => s.status === "ok")) {
    reporter.info(
      "Locks of statements outside a transaction are sampled while they run; very short ones may not show.",
    );
  }
  const blocking = m.locksHeld.filter((l) => blocksWrites(l.mode));
  for (const l of blocking) {
    const what = blocksReads(l.mode) ? "blocks reads and writes" : "blocks writes";
    reporter.warn(
      `${l.mode} on ${l.relation} held ${formatMs(l.heldMs)} until commit (${what} on the target meanwhile)`,
    );
  }
  if (!m.transaction) {
    for (const s of m.statements) {
      for (const lock of s.locks.filter((l) => !l.newRelation && blocksWrites(l.mode))) {
        reporter.warn(`statement ${s.index} took ${lock.mode} on ${lock.relation} for ${formatMs(s.durationMs ?? 0)}`);
      }
    }
  }
  for (const s of m.statements) {
    for (const r of s.rewrites.filter((x) => x.kind !== "index")) {
      reporter.warn(
        `statement ${s.index} (line ${s.line}) rewrote ${r.kind} ${r.relation}${r.bytes ? ` (${formatBytes(r.bytes)})` : ""}: ` +
          "on the target this takes time proportional to its size, under an exclusive lock",
      );
    }
  }
}

/**
 * "AccessExclusive public.users, Share public.orders": the strongest lock per existing relation, strongest first.
 * Locks on relations the migration itself created are left out (nobody else can be waiting for them); --json has
 * every lock.
 */
export function formatLocks(locks: LockReport[]): string {
  const strongest = new Map<string, LockReport>();
  for (const l of locks) {
    if (l.newRelation) continue;
    const current = strongest.get(l.relation);
    if (!current || lockStrength(l.mode) > lockStrength(current.mode)) strongest.set(l.relation, l);
  }
  const parts = [...strongest.values()]
    .sort(
      (a, b) => lockStrength(b.mode) - lockStrength(a.mode) || Number(b.kind === "table") - Number(a.kind === "table"),
    )
    .map((l) => {
      const held = l.alreadyHeld ? ` (${l.alreadyHeld.replace(/Lock$/, "")} held)` : "";
      return `${l.mode.replace(/Lock$/, "")} ${l.relation}${held}`;
    });
  return parts.length ? parts.join(", ") : "-";
}
