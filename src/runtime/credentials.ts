/**
 * Passwords for client programs. A password never goes on a command line: URLs are passed with -d without it and
 * the password travels in PGPASSWORD. Programs in a container cannot read the host's ~/.pgpass, so for them the
 * password is looked up here the way libpq would (URL, PGPASSWORD, PGPASSFILE or ~/.pgpass).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface SplitUrl {
  /** The URL without its password. */
  url: string;
  password: string | undefined;
}

export function splitPassword(value: string): SplitUrl {
  try {
    const url = new URL(value);
    const password = url.password ? decodeURIComponent(url.password) : undefined;
    url.password = "";
    return { url: url.toString(), password };
  } catch {
    return { url: value, password: undefined };
  }
}

/** The password libpq would use for this URL (undefined when it would not send one). */
export function resolvePassword(value: string, env: NodeJS.ProcessEnv): string | undefined {
  const { password } = splitPassword(value);
  if (password) return password;
  if (env.PGPASSWORD) return env.PGPASSWORD;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, "$1") || env.PGHOST || "localhost";
  const port = url.port || env.PGPORT || "5432";
  const user = decodeURIComponent(url.username) || env.PGUSER || os.userInfo().username;
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || env.PGDATABASE || user;
  return passfileLookup(env, { host, port, database, user });
}

/** ~/.pgpass lookup: host:port:database:username:password, `*` matches anything, `\` escapes `:` and `\`. */
export function passfileLookup(
  env: NodeJS.ProcessEnv,
  target: { host: string; port: string; database: string; user: string },
): string | undefined {
  const home = env.HOME ?? os.homedir();
  const file = env.PGPASSFILE ?? path.join(home, ".pgpass");
  if (!existsSync(file)) return undefined;
  // libpq ignores a passfile readable by group or others.
  if ((statSync(file).mode & 0o077) !== 0) return undefined;
  const hosts = target.host === "127.0.0.1" || target.host === "::1" ? [target.host, "localhost"] : [target.host];
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    if (!raw.trim() || raw.startsWith("#")) continue;
    const fields = splitPassLine(raw);
    if (fields.length < 5) continue;
    const [h, p, d, u, pw] = fields as [string, string, string, string, string];
    const matches = (pattern: string, value: string) => pattern === "*" || pattern === value;
    if (hosts.some((x) => matches(h, x)) && matches(p, target.port) && matches(d, target.database)) {
      if (matches(u, target.user)) return pw;
    }
  }
  return undefined;
}

function splitPassLine(line: string): string[] {
  const fields: string[] = [];
  let current = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "\\" && i + 1 < line.length) {
      current += line[++i];
    } else if (ch === ":" && fields.length < 4) {
      fields.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  fields.push(current);
  return fields;
}
