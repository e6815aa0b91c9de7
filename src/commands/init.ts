/**
 * `postkit init [-f]`: scaffolds a project as PostKit 1.2's init does (reference §8.1), without the auth and stack
 * modules. Decisions where PostKit was destructive or unclear:
 * - Idempotent and never destructive: missing files and folders are created; existing ones are kept. Only
 *   `--force` rewrites postkit.config.json and postkit.secrets.example.json with the defaults. There is no
 *   "Overwrite existing configuration?" prompt: re-running init (e.g. on a fresh clone, to get a secrets file)
 *   is always safe.
 * - postkit.secrets.json is never overwritten, not even with --force (it holds the remotes' passwords); it is
 *   created with mode 0600, and an existing one readable by others is set to 0600.
 * - committed.json is never overwritten (it lists the migrations deploy applies).
 * - .gitignore: only missing entries are appended (exact line match, not PostKit's substring test).
 * - `--dry-run` writes nothing and says what it would do.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { findProjectRoot } from "../config/discover.js";
import { planGitignore } from "../config/gitignore.js";
import { writeFileAtomic, writeJsonFile } from "../config/json-file.js";
import { CONFIG_FILE, SECRETS_EXAMPLE_FILE, SECRETS_FILE } from "../config/load.js";
import { SCHEMA_NAME } from "../config/schema.js";
import type { Context } from "../context.js";
import { isPlainObject } from "../util/objects.js";

export interface InitOptions {
  /** Rewrite postkit.config.json and postkit.secrets.example.json with the defaults. */
  force?: boolean;
}

export type InitAction = "created" | "kept" | "overwritten" | "updated";

export interface InitEntry {
  /** Relative to the project root; folders end with "/". */
  path: string;
  action: InitAction;
}

export interface InitResult {
  projectRoot: string;
  alreadyInitialized: boolean;
  dryRun: boolean;
  entries: InitEntry[];
  /** .gitignore lines appended (or that would be, with --dry-run). */
  gitignoreAdded: string[];
}

export const DEFAULT_DB_CONFIG = { schemaPath: "db/schema", schemas: ["public"], infraPath: "db/infra" };

const SECRETS_TEMPLATE = { db: { localDbUrl: "", remotes: {} } };

const SECRETS_EXAMPLE = {
  db: {
    localDbUrl: "",
    remotes: {
      dev: { url: "postgres://user:password@dev.example.com:5432/app", default: true },
      production: { url: "postgres://user@prod.example.com:5432/app" },
    },
  },
};

const CONFIG_SCHEMA_IN_PACKAGE = "node_modules/postkit/schema/postkit.config.schema.json";

export async function init(ctx: Context, options: InitOptions = {}): Promise<InitResult> {
  const root = ctx.cwd;
  const dryRun = ctx.flags.dryRun;
  const { reporter } = ctx;
  const rel = (file: string) => path.relative(root, file) || ".";
  const entries: InitEntry[] = [];
  const record = (file: string, action: InitAction, isDir = false) => {
    const entry = { path: `${rel(file)}${isDir ? "/" : ""}`, action };
    entries.push(entry);
    const verb = { created: "create", kept: "keep", overwritten: "overwrite", updated: "update" }[action];
    if (dryRun) reporter.info(`Dry run: would ${verb} ${entry.path}`);
    else if (action !== "kept") reporter.debug(`${action} ${entry.path}`);
  };

  reporter.heading("Postkit Init");
  const configFile = path.join(root, CONFIG_FILE);
  const alreadyInitialized = existsSync(configFile) || existsSync(path.join(root, ".postkit"));
  if (alreadyInitialized) {
    reporter.warn("Postkit is already initialized in this directory.");
    reporter.info(
      options.force
        ? "--force: postkit.config.json and postkit.secrets.example.json are rewritten with the defaults; postkit.secrets.json and committed.json are kept."
        : "Existing files are kept; only missing ones are created (--force rewrites postkit.config.json with the defaults).",
    );
  } else {
    const outer = await findProjectRoot(path.dirname(root));
    if (outer && outer !== root) reporter.warn(`A Postkit project already exists above this folder, in ${outer}.`);
  }

  const ensureDir = async (dir: string) => {
    const exists = existsSync(dir);
    if (!exists && !dryRun) await mkdir(dir, { recursive: true });
    record(dir, exists ? "kept" : "created", true);
  };

  // [1] runtime state: committed.json and migrations/ are committed; session/ is per developer.
  reporter.step(1, 4, "Creating .postkit/db/ (committed.json, session/, migrations/)");
  const stateDir = path.join(root, ".postkit", "db");
  await ensureDir(stateDir);
  const committed = path.join(stateDir, "committed.json");
  if (existsSync(committed)) {
    record(committed, "kept");
  } else {
    if (!dryRun) await writeJsonFile(committed, { migrations: [] });
    record(committed, "created");
  }
  await ensureDir(path.join(stateDir, "session"));
  await ensureDir(path.join(stateDir, "migrations"));

  // [2] configuration, secrets and the example secrets.
  reporter.step(2, 4, `Writing ${CONFIG_FILE}, ${SECRETS_FILE} and ${SECRETS_EXAMPLE_FILE}`);
  const configExists = existsSync(configFile);
  const keptConfig = configExists && !options.force ? await readRawConfig(configFile) : undefined;
  if (configExists && !options.force) {
    record(configFile, "kept");
  } else {
    const config: Record<string, unknown> = {};
    if (existsSync(path.join(root, CONFIG_SCHEMA_IN_PACKAGE))) config.$schema = `./${CONFIG_SCHEMA_IN_PACKAGE}`;
    config.db = DEFAULT_DB_CONFIG;
    if (!dryRun) await writeJsonFile(configFile, config, { mode: 0o644 });
    record(configFile, configExists ? "overwritten" : "created");
  }

  const secretsFile = path.join(root, SECRETS_FILE);
  if (existsSync(secretsFile)) {
    const mode = (await stat(secretsFile)).mode & 0o777;
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
      if (!dryRun) await chmod(secretsFile, 0o600);
      record(secretsFile, "updated");
      reporter.info(`${SECRETS_FILE}: mode ${mode.toString(8)} -> 600 (it holds passwords)`);
    } else {
      record(secretsFile, "kept");
    }
  } else {
    if (!dryRun) await writeJsonFile(secretsFile, SECRETS_TEMPLATE, { mode: 0o600 });
    record(secretsFile, "created");
  }

  const exampleFile = path.join(root, SECRETS_EXAMPLE_FILE);
  const exampleExists = existsSync(exampleFile);
  if (exampleExists && !options.force) {
    record(exampleFile, "kept");
  } else {
    if (!dryRun) await writeJsonFile(exampleFile, SECRETS_EXAMPLE, { mode: 0o644 });
    record(exampleFile, exampleExists ? "overwritten" : "created");
  }

  // [3] the declarative schema folders (from the config that is in force).
  const db = { ...DEFAULT_DB_CONFIG, ...keptConfig };
  reporter.step(3, 4, `Creating ${db.schemaPath}/<schema>/ and ${db.infraPath}/`);
  for (const schema of db.schemas) await ensureDir(path.resolve(root, db.schemaPath, schema));
  await ensureDir(path.resolve(root, db.infraPath));

  // [4] .gitignore
  reporter.step(4, 4, "Updating .gitignore");
  const gitignore = await planGitignore(root);
  if (gitignore.missing.length) {
    if (!dryRun) await writeFileAtomic(gitignore.file, gitignore.text);
    record(gitignore.file, gitignore.exists ? "updated" : "created");
  } else {
    record(gitignore.file, "kept");
  }
  for (const line of gitignore.tooBroad) {
    reporter.warn(
      `.gitignore line "${line}" also hides .postkit/db/committed.json and migrations/, which deploy needs in git. Replace it with the "# Postkit" entries.`,
    );
  }

  const result: InitResult = {
    projectRoot: root,
    alreadyInitialized,
    dryRun,
    entries,
    gitignoreAdded: gitignore.missing,
  };
  if (dryRun) {
    reporter.info("Dry run: nothing was written.");
    return result;
  }
  printSummary(ctx, result, db);
  return result;
}

/** The db paths of an existing config, best effort (init must work even when that file is not valid yet). */
async function readRawConfig(file: string): Promise<Partial<typeof DEFAULT_DB_CONFIG>> {
  try {
    const raw = JSON.parse(await readFile(file, "utf8")) as unknown;
    const db = isPlainObject(raw) && isPlainObject(raw.db) ? raw.db : {};
    const out: Partial<typeof DEFAULT_DB_CONFIG> = {};
    if (typeof db.schemaPath === "string" && db.schemaPath) out.schemaPath = db.schemaPath;
    if (typeof db.infraPath === "string" && db.infraPath) out.infraPath = db.infraPath;
    if (Array.isArray(db.schemas)) {
      const schemas = db.schemas.filter((s): s is string => typeof s === "string" && SCHEMA_NAME.test(s));
      if (schemas.length) out.schemas = schemas;
    }
    return out;
  } catch {
    return {};
  }
}

function printSummary(ctx: Context, result: InitResult, db: typeof DEFAULT_DB_CONFIG): void {
  const { reporter } = ctx;
  reporter.blank();
  reporter.success(result.alreadyInitialized ? "Postkit project is up to date." : "Postkit project initialized!");
  const changed = result.entries.filter((e) => e.action !== "kept");
  if (changed.length) {
    reporter.blank();
    for (const e of changed) reporter.line(`  ${e.action.padEnd(11)} ${e.path}`);
  }
  reporter.blank();
  reporter.info("Commit to git:");
  for (const f of [
    CONFIG_FILE,
    SECRETS_EXAMPLE_FILE,
    ".postkit/db/committed.json",
    ".postkit/db/migrations/",
    `${db.schemaPath}/`,
    `${db.infraPath}/`,
  ]) {
    reporter.line(`  ${f}`);
  }
  reporter.info("Ignored by git (local only):");
  for (const f of [
    SECRETS_FILE,
    ".postkit/db/session.json",
    ".postkit/db/session/",
    ".postkit/db/plan_*",
    ".postkit/db/runtime/",
  ]) {
    reporter.line(`  ${f}`);
  }
  reporter.blank();
  reporter.info("Next steps:");
  reporter.line(`  1. Add a remote:  postkit db remote add staging "postgres://user@host:5432/db"`);
  reporter.line(`  2. Describe your schema in ${db.schemaPath}/${db.schemas[0]}/ (tables/, views/, ...)`);
  reporter.line("  3. Start a session:  postkit db start");
}
