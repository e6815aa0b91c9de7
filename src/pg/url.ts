/** Connection URLs: parsing, comparing and deriving. Works on postgres:// and postgresql:// URLs. */
import { UsageError } from "../errors.js";
import { maskUrl } from "../util/redact.js";

export interface ConnectionParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Query parameters such as sslmode, kept verbatim. */
  params: Record<string, string>;
}

export function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "postgres:" || url.protocol === "postgresql:";
  } catch {
    return false;
  }
}

export function parseConnectionUrl(value: string, label = "database URL"): ConnectionParts {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError("INVALID_URL", `Invalid ${label}: ${maskUrl(value)}`, {
      hint: "Expected format: postgres://user:pass@host:port/database",
    });
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new UsageError("INVALID_URL", `Invalid ${label}: protocol must be postgres:// or postgresql://`, {
      hint: "Expected format: postgres://user:pass@host:port/database",
    });
  }
  const params: Record<string, string> = {};
  url.searchParams.forEach((v, k) => {
    params[k] = v;
  });
  return {
    host: decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, "$1") || params.host || "localhost",
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, "")),
    params,
  };
}

/** The same server and database, another database name. */
export function withDatabase(value: string, database: string): string {
  const url = new URL(value);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Canonical form for "is this the same database": lower-case host, default port, no trailing slash, no params. */
export function normalizeUrl(value: string): string {
  const p = parseConnectionUrl(value);
  const host = p.host.toLowerCase() === "localhost" || p.host === "::1" ? "127.0.0.1" : p.host.toLowerCase();
  return `postgres://${p.user}@${host}:${p.port}/${p.database.replace(/\/+$/, "")}`;
}

export function sameDatabase(a: string, b: string): boolean {
  return normalizeUrl(a) === normalizeUrl(b);
}

/** libpq environment for a client program (pg_dump, psql): the password never appears on a command line. */
export function libpqEnv(value: string): Record<string, string> {
  const p = parseConnectionUrl(value);
  const env: Record<string, string> = {
    PGHOST: p.host,
    PGPORT: String(p.port),
    PGDATABASE: p.database,
  };
  if (p.user) env.PGUSER = p.user;
  if (p.password) env.PGPASSWORD = p.password;
  if (p.params.sslmode) env.PGSSLMODE = p.params.sslmode;
  if (p.params.sslrootcert) env.PGSSLROOTCERT = p.params.sslrootcert;
  if (p.params.sslcert) env.PGSSLCERT = p.params.sslcert;
  if (p.params.sslkey) env.PGSSLKEY = p.params.sslkey;
  if (p.params.options) env.PGOPTIONS = p.params.options;
  return env;
}
