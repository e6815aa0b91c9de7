/**
 * `postkit db remote add <name> <url> [--default] [--check]`, with the reference's checks in its order (§8.10):
 * name, URL format, unique name, not the local database, not a URL another remote already uses. The first remote
 * becomes the default. The entry is written to postkit.secrets.json (mode 0600), which is created when missing
 * (a fresh clone of a project has a config but no secrets yet; PostKit refused and pointed at init).
 * `--check` connects first and reports the server version; if it cannot connect, nothing is written.
 * A URL may be a `${VAR}` placeholder: it is stored as written and resolved whenever postkit reads the config. The
 * variable must be set when the remote is added: an unset one would make every later command fail to load the
 * config, and the URL could not be checked.
 */
import { readProjectFiles, remotesOf, writeConfigFile, writeSecretsFile } from "../../config/edit.js";
import { secretsFileIgnored } from "../../config/gitignore.js";
import { interpolateString } from "../../config/interpolate.js";
import { SECRETS_FILE } from "../../config/load.js";
import { listRemotes } from "../../config/remotes.js";
import { REMOTE_NAME } from "../../config/schema.js";
import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import { isPostgresUrl, sameDatabase } from "../../pg/url.js";
import { maskUrl } from "../../util/redact.js";
import { loadProjectConfig } from "../project.js";
import { displayPath } from "./common.js";

export interface AddRemoteOptions {
  name: string;
  url: string;
  default?: boolean;
  check?: boolean;
}

export interface ServerInfo {
  version: string;
  versionNum: number;
  major: number;
}

export interface AddRemoteResult {
  name: string;
  /** Password masked. */
  url: string;
  default: boolean;
  addedAt: string;
  /** Project-relative file the remote was written to. */
  file: string;
  createdSecretsFile: boolean;
  /** Set with --check. */
  server: ServerInfo | null;
  dryRun: boolean;
}

const URL_FORMAT = "Expected format: postgres://user:pass@host:port/database";

export function checkRemoteName(name: string): void {
  if (!name.trim()) throw new UsageError("REMOTE_NAME_INVALID", "Remote name is required.");
  if (!REMOTE_NAME.test(name)) {
    throw new UsageError("REMOTE_NAME_INVALID", `Invalid remote name "${name}".`, {
      hint: 'Use letters, digits, "-" and "_" (e.g. "staging", "prod-eu").',
    });
  }
}

/** The URL to validate and connect to, with any `${VAR}` placeholder resolved. */
function effectiveUrl(url: string, env: NodeJS.ProcessEnv): string {
  if (!url.includes("${")) return url;
  const unset: string[] = [];
  const value = interpolateString(url, env, (variable) => unset.push(variable));
  if (unset.length) {
    throw new UsageError(
      "INVALID_URL",
      `The URL uses ${unset.join(", ")}, which ${unset.length === 1 ? "is" : "are"} not set.`,
      {
        hint: "Set it before adding the remote: every command reads the config, and an unset variable there is an error.",
      },
    );
  }
  return value;
}

export async function addRemote(ctx: Context, options: AddRemoteOptions): Promise<AddRemoteResult> {
  const { name, url } = options;
  ctx.redactor.addUrl(url);
  checkRemoteName(name);
  const target = effectiveUrl(url, ctx.env);
  ctx.redactor.addUrl(target);
  if (!isPostgresUrl(target)) {
    throw new UsageError("INVALID_URL", `Invalid database URL format. ${URL_FORMAT}`, {
      hint:
        target !== url
          ? `${url} resolves to "${maskUrl(target)}", which is not a postgres:// URL.`
          : "Quote the URL in the shell; percent-encode special characters in the password (@ is %40).",
    });
  }

  const config = await loadProjectConfig(ctx);
  const remotes = listRemotes(config);
  if (remotes.some((r) => r.name === name)) {
    throw new UsageError("REMOTE_EXISTS", `Remote "${name}" already exists.`, {
      hint: `Remove it first (postkit db remote remove ${name}) or choose another name.`,
    });
  }
  const local = config.config.db.localDbUrl;
  if (local && same(target, local)) {
    throw new UsageError(
      "REMOTE_URL_IS_LOCAL",
      "Cannot add remote: URL matches the local database URL (db.localDbUrl).",
      {
        hint: "A remote is the database you clone from and deploy to; it must not be your local database.",
      },
    );
  }
  const twin = remotes.find((r) => same(target, r.url));
  if (twin) {
    throw new UsageError("REMOTE_URL_IN_USE", `Cannot add remote: URL already used by remote "${twin.name}".`, {
      hint: `Use the existing remote, or remove it first (postkit db remote remove ${twin.name}).`,
    });
  }

  const server = options.check ? await checkConnection(ctx, name, target) : null;

  const makeDefault = Boolean(options.default) || remotes.length === 0;
  const addedAt = ctx.clock.now().toISOString();
  const files = await readProjectFiles(config.projectRoot);
  const createdSecretsFile = !files.secrets.exists;
  const file = displayPath(config, files.secrets.file);
  const result: AddRemoteResult = {
    name,
    url: maskUrl(url),
    default: makeDefault,
    addedAt,
    file,
    createdSecretsFile,
    server,
    dryRun: ctx.flags.dryRun,
  };
  if (ctx.flags.dryRun) {
    ctx.reporter.info(
      `Dry run: would add remote "${name}" (${maskUrl(url)}) to ${file}${makeDefault ? " as the default" : ""}`,
    );
    return result;
  }

  let configChanged = false;
  if (makeDefault) {
    for (const f of [files.config, files.secrets]) {
      for (const entry of Object.values(remotesOf(f) ?? {})) {
        if (entry && typeof entry === "object" && "default" in entry) {
          delete entry.default;
          if (f === files.config) configChanged = true;
        }
      }
    }
  }
  const entry: Record<string, unknown> = { url, addedAt };
  if (makeDefault) entry.default = true;
  remotesOf(files.secrets, true)![name] = entry;
  await writeSecretsFile(files.secrets);
  if (configChanged) await writeConfigFile(files.config);

  if (createdSecretsFile) ctx.reporter.info(`Created ${file} (mode 0600: it holds passwords)`);
  if (!(await secretsFileIgnored(config.projectRoot))) {
    ctx.reporter.warn(`${SECRETS_FILE} is not listed in .gitignore: add it so passwords are never committed.`);
  }
  ctx.reporter.success(`Remote "${name}" added successfully`);
  if (makeDefault) ctx.reporter.info(`Remote "${name}" is now the default`);
  else ctx.reporter.info(`Set as default with: postkit db remote use ${name}`);
  return result;
}

/** Same server and database; a URL that cannot be compared is not the same. */
function same(a: string, b: string): boolean {
  try {
    return sameDatabase(a, b);
  } catch {
    return false;
  }
}

async function checkConnection(ctx: Context, name: string, url: string): Promise<ServerInfo> {
  // pg is loaded only here, so the other remote commands (and --help) never pay for it.
  const { withClient } = await import("../../pg/client.js");
  const spinner = ctx.reporter.spinner(`Connecting to remote "${name}"...`);
  try {
    const info = await withClient(
      url,
      async (client) => {
        const { rows } = await client.query<{ version: string; num: string }>(
          "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
        );
        const row = rows[0]!;
        const versionNum = Number(row.num);
        return { version: row.version, versionNum, major: Math.floor(versionNum / 10000) };
      },
      { label: `remote database "${name}"` },
    );
    spinner.succeed(`Connected to remote "${name}": PostgreSQL ${info.version}`);
    return info;
  } catch (error) {
    spinner.fail(`Could not connect to remote "${name}"; nothing was written`);
    throw error;
  }
}
