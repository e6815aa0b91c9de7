/**
 * .postkit/db/committed.json: the committed migrations, in commit order (reference §7.2). A corrupt file is an
 * error naming the file (PostKit silently treated it as empty, which could hide migrations from deploy).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseJson, writeJsonFile } from "../config/json-file.js";
import { PostkitError } from "../errors.js";

export const committedMigrationSchema = z.object({
  migrationFile: z.object({ name: z.string(), path: z.string(), timestamp: z.string() }),
  description: z.string().nullable().default(null),
  sessionMigrations: z.array(z.object({ name: z.string(), path: z.string() })).default([]),
  committedAt: z.string(),
  /** PostKit 1.3 bootstrap entries that never block `db start`. */
  blocksSessionStart: z.boolean().optional(),
});
export type CommittedMigration = z.infer<typeof committedMigrationSchema>;

const fileSchema = z.object({ migrations: z.array(committedMigrationSchema).default([]) });

export function committedFile(stateDir: string): string {
  return path.join(stateDir, "committed.json");
}

export async function readCommitted(stateDir: string): Promise<CommittedMigration[]> {
  const file = committedFile(stateDir);
  if (!existsSync(file)) return [];
  const parsed = fileSchema.safeParse(parseJson(await readFile(file, "utf8"), file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PostkitError("COMMITTED_CORRUPT", `${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`, {
      hint: "Restore the file from version control; it lists the migrations deploy applies.",
    });
  }
  return parsed.data.migrations;
}

export async function writeCommitted(stateDir: string, migrations: CommittedMigration[]): Promise<void> {
  await writeJsonFile(committedFile(stateDir), { migrations });
}

/**
 * The committed files of `migrations` as runner inputs, in the given order (for deploy and import). A file listed in
 * committed.json but missing on disk is an error naming it: deploying without it would skip a migration.
 */
export async function committedMigrationInputs(
  projectRoot: string,
  migrations: CommittedMigration[],
): Promise<{ version: string; name: string; file: string; text: string }[]> {
  const inputs = [];
  for (const m of migrations) {
    const file = path.isAbsolute(m.migrationFile.path)
      ? m.migrationFile.path
      : path.join(projectRoot, m.migrationFile.path);
    if (!existsSync(file)) {
      throw new PostkitError(
        "COMMITTED_FILE_MISSING",
        `Committed migration ${m.migrationFile.path} is listed in committed.json but missing.`,
        {
          hint: "Restore it from version control (committed migrations must be committed to git with committed.json).",
          details: { file: m.migrationFile.path },
        },
      );
    }
    inputs.push({
      version: m.migrationFile.timestamp,
      name: m.migrationFile.name,
      file: path.relative(projectRoot, file).split(path.sep).join("/"),
      text: await readFile(file, "utf8"),
    });
  }
  return inputs;
}
