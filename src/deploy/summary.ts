/**
 * What deploy returns per migration, for CI (--json): its status, and the rehearsal's and the deploy's figures
 * (duration, statements, rows, the locks that block other sessions and how long they were held, rewrites). The
 * full run reports are in the result too; this is the summary a CI job reads.
 */
import type { CommittedMigration } from "../migrations/committed.js";
import { blocksWrites } from "../migrations/probes.js";
import type { MigrationReport, MigrationStatus, RunReport } from "../migrations/report.js";

export interface RunFigures {
  status: MigrationStatus;
  durationMs: number | null;
  statements: number;
  /** Sum of the rows the statements reported (INSERT/UPDATE/DELETE/COPY/SELECT); DDL reports none. */
  rows: number;
  /** Locks on existing relations that block writes (or reads), with how long they were held. */
  locks: { relation: string; mode: string; heldMs: number | null }[];
  /** Relations whose storage was rewritten. */
  rewrites: { relation: string; kind: string; bytes: number | null }[];
  error?: MigrationReport["error"];
  note?: string;
}

export type DeployMigrationStatus = MigrationStatus | "pending";

export interface DeployMigration {
  version: string;
  name: string;
  file: string;
  description: string | null;
  transaction: boolean | null;
  /** The deploy's status when it reached the target, else the rehearsal's, else "pending". */
  status: DeployMigrationStatus;
  rehearsal: RunFigures | null;
  deploy: RunFigures | null;
}

export function figures(m: MigrationReport): RunFigures {
  const ran = m.statements.filter((s) => s.status === "ok");
  const locks: RunFigures["locks"] = m.transaction
    ? m.locksHeld.filter((l) => blocksWrites(l.mode)).map((l) => ({ ...l }))
    : ran.flatMap((s) =>
        s.locks
          .filter((l) => !l.newRelation && blocksWrites(l.mode))
          .map((l) => ({ relation: l.relation, mode: l.mode, heldMs: s.durationMs })),
      );
  return {
    status: m.status,
    durationMs: m.durationMs,
    statements: m.statements.length,
    rows: ran.reduce((n, s) => n + (s.rows ?? 0), 0),
    locks,
    rewrites: ran.flatMap((s) => s.rewrites.map((r) => ({ relation: r.relation, kind: r.kind, bytes: r.bytes }))),
    ...(m.error ? { error: m.error } : {}),
    ...(m.note ? { note: m.note } : {}),
  };
}

export function summarize(
  pending: CommittedMigration[],
  rehearsal: RunReport | undefined,
  deploy: RunReport | undefined,
): DeployMigration[] {
  return pending.map((c) => {
    const version = c.migrationFile.timestamp;
    const r = rehearsal?.migrations.find((m) => m.version === version);
    const d = deploy?.migrations.find((m) => m.version === version);
    return {
      version,
      name: c.migrationFile.name,
      file: c.migrationFile.path,
      description: c.description,
      transaction: (d ?? r)?.transaction ?? null,
      status: d?.status ?? (r?.status === "applied" ? "rehearsed" : r?.status) ?? "pending",
      // On the throwaway clone the runner commits each migration; for the reader it was a rehearsal.
      rehearsal: r ? { ...figures(r), status: r.status === "applied" ? "rehearsed" : r.status } : null,
      deploy: d ? figures(d) : null,
    };
  });
}
