/**
 * The clone's database on a local server. postkit marks every database it creates with a comment naming the
 * session, and drops only databases that carry its mark (or the one the user declared disposable): a database
 * postkit did not create is never dropped (PostKit dropped whatever localDbUrl named).
 */
import type { Reporter } from "../context.js";
import { messageOf, PostkitError } from "../errors.js";
import { ident, quoteLiteral, withClient } from "../pg/client.js";
import { parseConnectionUrl } from "../pg/url.js";
import type { LocalServer, Purpose } from "./types.js";

const MARK = "postkit clone";

/** Locale of the remote database, so text sorts and indexes behave the same in the clone. */
export interface DatabaseLocale {
  encoding: string;
  collate: string;
  ctype: string;
  /** c = libc, i = icu, b = builtin (PostgreSQL 17+) */
  provider: "c" | "i" | "b";
  /** ICU or builtin locale name */
  locale: string | null;
}

export function sanitizeName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
}

/**
 * The clone's database name: `postkit_local` on a server postkit started; on an external server
 * `postkit_<project>_<remote>` (rehearsals add `_rehearsal_<id>`), or the URL's own database when the user
 * declared it disposable.
 */
export function cloneDatabaseName(options: {
  runtime: LocalServer["runtime"];
  purpose: Purpose;
  project: string;
  remote: string;
  id: string;
  localDbUrl?: string;
  disposable?: boolean;
}): string {
  if (options.runtime !== "external") return "postkit_local";
  if (options.disposable && options.localDbUrl && options.purpose === "session") {
    return parseConnectionUrl(options.localDbUrl, "db.localDbUrl").database;
  }
  const base = `postkit_${sanitizeName(options.project)}_${sanitizeName(options.remote)}`;
  const name = options.purpose === "session" ? base : `${base}_rehearsal_${options.id}`;
  return name.slice(0, 63);
}

function markFor(sessionId: string, remote: string): string {
  return `${MARK}: session ${sessionId}, remote ${remote}`;
}

/** Is the database's comment postkit's mark (of any session)? */
async function existing(server: LocalServer, name: string): Promise<{ exists: boolean; comment: string | null }> {
  return withClient(
    server.adminUrl,
    async (client) => {
      const r = await client.query<{ comment: string | null }>(
        "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
        [name],
      );
      return { exists: r.rowCount === 1, comment: r.rows[0]?.comment ?? null };
    },
    { label: "local server" },
  );
}

export interface CreateOptions {
  sessionId: string;
  remote: string;
  locale: DatabaseLocale | undefined;
  /** The user declared this database disposable (db.localDbDisposable): recreate it even without our mark. */
  disposable: boolean;
  reporter: Reporter;
}

/** Creates the clone's database (template0, the remote's locale), replacing only a leftover of postkit's own. */
export async function createCloneDatabase(server: LocalServer, name: string, options: CreateOptions): Promise<void> {
  if (["postgres", "template0", "template1"].includes(name)) {
    throw new PostkitError("DATABASE_RESERVED", `postkit will not clone into the "${name}" database.`, {
      hint: 'Name another database in db.localDbUrl, or leave "db.localDbDisposable" off to let postkit create its own.',
    });
  }
  const found = await existing(server, name);
  if (found.exists) {
    if (found.comment?.startsWith(MARK)) {
      options.reporter.warn(
        `Dropping database "${name}" left over from an earlier postkit session (${found.comment}).`,
      );
    } else if (options.disposable) {
      options.reporter.info(`Recreating database "${name}" (db.localDbDisposable is true).`);
    } else {
      throw new PostkitError(
        "DATABASE_EXISTS",
        `Database "${name}" already exists on the local server and postkit did not create it; it will not drop it.`,
        {
          hint:
            'Drop or rename it yourself, or set "db.localDbDisposable": true if the database named in db.localDbUrl ' +
            "may be dropped and recreated for every session.",
        },
      );
    }
    await dropDatabase(server, name);
  }
  await withClient(
    server.adminUrl,
    async (client) => {
      const withLocale = `CREATE DATABASE ${ident(name)} TEMPLATE template0${localeClause(options.locale, server.major)}`;
      try {
        await client.query(withLocale);
      } catch (error) {
        if (!options.locale || !/locale|collation|encoding|provider/i.test(messageOf(error))) throw error;
        options.reporter.warn(
          `The local server cannot create a database with the remote's locale (${describeLocale(options.locale)}): ` +
            `${messageOf(error)}. The clone uses the server's default; text may sort differently.`,
        );
        await client.query(
          `CREATE DATABASE ${ident(name)} TEMPLATE template0 ENCODING ${quoteLiteral(options.locale.encoding)}`,
        );
      }
      await client.query(
        `COMMENT ON DATABASE ${ident(name)} IS ${quoteLiteral(markFor(options.sessionId, options.remote))}`,
      );
    },
    { label: "local server" },
  ).catch((error) => {
    if (error instanceof PostkitError) throw error;
    const permission = /permission denied/i.test(messageOf(error));
    throw new PostkitError(
      "DATABASE_CREATE_FAILED",
      `Could not create database "${name}" on the local server: ${messageOf(error)}`,
      {
        hint: permission ? "The user in db.localDbUrl needs the CREATEDB privilege." : undefined,
        cause: error,
      },
    );
  });
}

function describeLocale(locale: DatabaseLocale): string {
  const provider = { c: "libc", i: "icu", b: "builtin" }[locale.provider];
  return `${locale.encoding}, ${provider} ${locale.locale ?? locale.collate}`;
}

function localeClause(locale: DatabaseLocale | undefined, major: number): string {
  if (!locale) return "";
  let clause = ` ENCODING ${quoteLiteral(locale.encoding)} LC_COLLATE ${quoteLiteral(locale.collate)} LC_CTYPE ${quoteLiteral(locale.ctype)}`;
  if (locale.provider === "i" && locale.locale && major >= 15) {
    clause += ` LOCALE_PROVIDER icu ICU_LOCALE ${quoteLiteral(locale.locale)}`;
  } else if (locale.provider === "b" && locale.locale && major >= 17) {
    clause += ` LOCALE_PROVIDER builtin BUILTIN_LOCALE ${quoteLiteral(locale.locale)}`;
  }
  return clause;
}

/** Drops a database after ending its sessions. */
export async function dropDatabase(server: LocalServer, name: string): Promise<void> {
  await withClient(
    server.adminUrl,
    async (client) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
        try {
          await client.query(`DROP DATABASE IF EXISTS ${ident(name)}`);
          return;
        } catch (error) {
          // 55006: a backend connected again between terminate and drop
          if ((error as { code?: string }).code !== "55006" || attempt === 2) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    },
    { label: "local server" },
  );
}

/**
 * Drops the clone's database if it is the one this session created (its mark names the session), or if the user
 * declared it disposable. Returns what happened, for abort's report.
 */
export async function dropCloneDatabase(
  server: LocalServer,
  name: string,
  sessionId: string,
  disposable: boolean,
): Promise<"dropped" | "missing" | "not-ours"> {
  const found = await existing(server, name);
  if (!found.exists) return "missing";
  const ours = found.comment?.startsWith(`${MARK}: session ${sessionId},`) ?? false;
  if (!ours && !disposable) return "not-ours";
  await dropDatabase(server, name);
  return "dropped";
}
