/**
 * PostgreSQL access through one narrow interface (Queryable) and scoped helpers: acquire and release cannot be
 * separated. Connection errors become typed errors whose text never carries a password.
 */
import pg from "pg";
import { messageOf, PostkitError } from "../errors.js";
import { maskUrl } from "../util/redact.js";

export interface QueryResultLike<T> {
  rows: T[];
  rowCount: number | null;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResultLike<T>>;
}

export interface ConnectOptions {
  /** Label used in error messages: "remote database", "local clone", ... */
  label?: string;
  /** Milliseconds to wait for the connection (default 10 s). */
  connectTimeoutMs?: number;
  applicationName?: string;
}

// Return int8 and numeric as strings? No: counts and sizes fit in JS numbers for our purposes, and catalog OIDs
// are int4. Keep pg's defaults (int8 as string) and convert explicitly where needed.

export async function connect(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    application_name: options.applicationName ?? "postkit",
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectionError(url, error, options.label);
  }
  return client;
}

export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const client = await connect(url, options);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs fn inside BEGIN/COMMIT; ROLLBACK on any error. */
export async function withTransaction<T>(client: pg.Client, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** Quote an identifier the way PostgreSQL's quote_ident does. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Always-quoted identifier, for generated SQL that must survive any name. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

// The SQL keywords that quote_ident quotes (reserved and type/function-name keywords); enough for readable output.
const RESERVED = new Set(
  (
    "all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation " +
    "column concurrently constraint create cross current_catalog current_date current_role current_schema current_time " +
    "current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze " +
    "from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit " +
    "localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references " +
    "returning right select session_user similar some symmetric system_user table tablesample then to trailing true union " +
    "unique user using variadic verbose when where window with between bigint bit boolean char character coalesce dec " +
    "decimal exists extract float greatest grouping inout int integer interval json least national nchar none normalize " +
    "nullif numeric out overlay position precision real row setof smallint substring time timestamp treat trim values " +
    "varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable"
  ).split(" "),
);

/** Turns a failed connection into a PostkitError with a hint that fits the cause. */
export function connectionError(url: string, error: unknown, label = "database"): PostkitError {
  const code = (error as { code?: string }).code;
  const message = messageOf(error);
  let hint = `Check the URL (${maskUrl(url)}) and that the server is running and reachable.`;
  if (code === "28P01" || /password authentication failed/i.test(message)) {
    hint = "The server rejected the user name or password in the URL.";
  } else if (code === "3D000") {
    hint = "The database named in the URL does not exist on that server.";
  } else if (code === "ECONNREFUSED") {
    hint = "Nothing is listening at that host and port. Is the server running?";
  } else if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    hint = "The host name does not resolve.";
  }
  return new PostkitError("CONNECTION_FAILED", `Could not connect to the ${label}: ${message}`, {
    hint,
    cause: error,
    details: { url: maskUrl(url), pgCode: code },
  });
}
