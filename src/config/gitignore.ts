/**
 * The project's .gitignore entries (reference §6.4): session files, plans and generated schemas, runtime data and
 * the secrets file are ignored; committed.json and migrations/ are not (deploy needs them in version control).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { SECRETS_FILE } from "./discover.js";

export const GITIGNORE_HEADER = "# Postkit";

export const GITIGNORE_ENTRIES = [
  ".postkit/db/session.json",
  ".postkit/db/plan_*.sql",
  ".postkit/db/plan_*.json",
  ".postkit/db/schema_*.sql",
  ".postkit/db/session/",
  ".postkit/db/runtime/",
  SECRETS_FILE,
] as const;

/** Lines that would also hide committed.json and migrations/ from git (PostKit 1.0 wrote `.postkit/`). */
const TOO_BROAD = new Set([
  ".postkit",
  ".postkit/",
  "/.postkit",
  "/.postkit/",
  ".postkit/*",
  ".postkit/db",
  ".postkit/db/",
]);

export interface GitignorePlan {
  file: string;
  exists: boolean;
  /** Entries to append (empty: nothing to do). */
  missing: string[];
  /** The full new text when something is missing. */
  text: string;
  /** Lines that ignore too much. */
  tooBroad: string[];
}

function normalise(line: string): string {
  return line.trim().replace(/^\//, "");
}

export async function planGitignore(projectRoot: string): Promise<GitignorePlan> {
  const file = path.join(projectRoot, ".gitignore");
  const exists = existsSync(file);
  const current = exists ? await readFile(file, "utf8") : "";
  const lines = new Set(current.split(/\r?\n/).map(normalise));
  const missing = GITIGNORE_ENTRIES.filter((entry) => !lines.has(entry));
  const tooBroad = current
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => TOO_BROAD.has(l));
  let text = current;
  if (missing.length) {
    if (text && !text.endsWith("\n")) text += "\n";
    if (text) text += "\n";
    if (!lines.has(GITIGNORE_HEADER)) text += `${GITIGNORE_HEADER}\n`;
    text += `${missing.join("\n")}\n`;
  }
  return { file, exists, missing, text, tooBroad };
}

/** Whether .gitignore lists the secrets file (exactly, or with a simple `*` pattern). */
export async function secretsFileIgnored(projectRoot: string): Promise<boolean> {
  const file = path.join(projectRoot, ".gitignore");
  if (!existsSync(file)) return false;
  for (const raw of (await readFile(file, "utf8")).split(/\r?\n/)) {
    const line = normalise(raw);
    if (!line || line.startsWith("#") || line.startsWith("!") || line.includes("/")) continue;
    const pattern = new RegExp(
      `^${line
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
    );
    if (pattern.test(SECRETS_FILE)) return true;
  }
  return false;
}
