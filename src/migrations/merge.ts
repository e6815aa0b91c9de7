/**
 * `db commit`'s merge (reference §7.3): the session's migration files, in version order, become one committed file
 * with PostKit's header and a `-- Source: <file>` block per session file. A `transaction:false` session file cannot
 * share a transaction with the others, so the merge cuts there: consecutive files with the same transaction mode
 * form one part, and each part is its own committed file (its own dbmate version). A session without
 * transaction:false files (the usual case) gives exactly one file, as PostKit did.
 */
import { PostkitError } from "../errors.js";
import { parseMigrationFile, renderMigrationFile, upSql } from "./migration-file.js";
import type { MigrationFileEntry } from "./session-files.js";

export interface SessionFileContent {
  entry: MigrationFileEntry;
  text: string;
}

export interface MergedPart {
  transaction: boolean;
  /** The session files merged into this part (those with an empty up-section are left out). */
  sources: MigrationFileEntry[];
  /** The committed file's text. */
  text: string;
}

export function mergeSessionFiles(
  files: SessionFileContent[],
  options: { description: string; committedAt: string },
): MergedPart[] {
  if (files.length === 0) {
    throw new PostkitError("NOTHING_TO_MERGE", "No session migrations found to merge.", {
      hint: 'Run "postkit db apply" first.',
    });
  }
  const runs: { transaction: boolean; blocks: { entry: MigrationFileEntry; up: string }[] }[] = [];
  const sorted = [...files].sort((a, b) => (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0));
  for (const file of sorted) {
    const parsed = parseMigrationFile(file.text, file.entry.relative);
    const up = upSql(parsed);
    if (!up) continue;
    const last = runs.at(-1);
    if (last && last.transaction === parsed.up.transaction) last.blocks.push({ entry: file.entry, up });
    else runs.push({ transaction: parsed.up.transaction, blocks: [{ entry: file.entry, up }] });
  }
  if (runs.length === 0) {
    throw new PostkitError("NOTHING_TO_MERGE", "No migration content found in session files.", {
      hint: "Every session migration is empty. Add SQL to them, or abort the session.",
    });
  }
  return runs.map((run, i) => {
    const header = [
      `Migration: ${options.description}`,
      `Merged from ${run.blocks.length} session migration(s)`,
      `Committed at: ${options.committedAt}`,
    ];
    if (runs.length > 1) {
      header.push(
        `Part ${i + 1} of ${runs.length}: ${run.transaction ? "runs in one transaction" : "runs statement by statement, outside a transaction"}`,
      );
    }
    const up = run.blocks.map((b) => `-- Source: ${b.entry.name}\n${b.up}`).join("\n\n");
    return {
      transaction: run.transaction,
      sources: run.blocks.map((b) => b.entry),
      text: renderMigrationFile({ up, header, transaction: run.transaction }),
    };
  });
}
