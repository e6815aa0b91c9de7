/**
 * The temporary database the desired state is loaded into: created from template0 with the current database's
 * encoding and locale on the same server (so every deparse comes from the same PostgreSQL), always dropped
 * afterwards — on success, on error and when interrupted.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { messageOf, PostkitError } from "../../errors.js";
import { connect, quoteLiteral } from "../../pg/client.js";
import { withDatabase } from "../../pg/url.js";
import { ident } from "../emit/sql.js";

export interface TemporaryDatabase {
  name: string;
  url: string;
  client: pg.Client;
}

/** CREATE DATABASE options that reproduce a database's encoding and locale, on any supported version. */
async function localeOptions(source: pg.Client): Promise<string> {
  const { rows } = await source.query<{ d: Record<string, unknown> }>(
    "SELECT to_jsonb(d) AS d FROM pg_catalog.pg_database d WHERE datname = current_database()",
  );
  const d = rows[0]?.d ?? {};
  const opts = [`ENCODING ${quoteLiteral(String(await encodingName(source)))}`];
  if (d.datcollate) opts.push(`LC_COLLATE ${quoteLiteral(String(d.datcollate))}`);
  if (d.datctype) opts.push(`LC_CTYPE ${quoteLiteral(String(d.datctype))}`);
  const provider = d.datlocprovider;
  const locale = (d.datlocale ?? d.daticulocale) as string | null | undefined;
  if (provider === "i" && locale) opts.push("LOCALE_PROVIDER icu", `ICU_LOCALE ${quoteLiteral(locale)}`);
  if (provider === "b" && locale) opts.push("LOCALE_PROVIDER builtin", `BUILTIN_LOCALE ${quoteLiteral(locale)}`);
  return opts.join(" ");
}

async function encodingName(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ e: string }>(
    "SELECT pg_encoding_to_char(encoding) AS e FROM pg_catalog.pg_database WHERE datname = current_database()",
  );
  return rows[0]?.e ?? "UTF8";
}

export async function withTemporaryDatabase<T>(
  serverUrl: string,
  fn: (db: TemporaryDatabase) => Promise<T>,
  options: { signal?: AbortSignal; localeFrom?: pg.Client } = {},
): Promise<T> {
  const admin = await connect(serverUrl, { label: "plan server" });
  const name = `postkit_plan_${randomBytes(6).toString("hex")}`;
  let created = false;
  let client: pg.Client | undefined;
  try {
    const locale = await localeOptions(options.localeFrom ?? admin);
    try {
      await admin.query(`CREATE DATABASE ${ident(name)} TEMPLATE template0 ${locale}`);
    } catch (error) {
      throw new PostkitError("PLAN_DATABASE", `Could not create the temporary planning database: ${messageOf(error)}`, {
        hint: "The user in the URL needs the CREATEDB privilege (or pass --plan-url with a user that has it).",
        cause: error,
      });
    }
    created = true;
    options.signal?.throwIfAborted();
    const url = withDatabase(serverUrl, name);
    client = await connect(url, { label: "temporary planning database" });
    return await fn({ name, url, client });
  } finally {
    await client?.end().catch(() => {});
    if (created) {
      await admin
        .query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)
        .catch(() => admin.query(`DROP DATABASE IF EXISTS ${ident(name)}`).catch(() => {}));
    }
    await admin.end().catch(() => {});
  }
}
