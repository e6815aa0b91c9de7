/**
 * pg_dump / pg_restore / psql installed on the host. pg_dump refuses servers newer than itself, so the clone
 * needs a client whose major is at least the remote's; we look in the usual places and take the newest.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PostkitError } from "../errors.js";
import { splitPassword } from "./credentials.js";
import { type HostCommand, pipeHost, runHost, toResult } from "./host-process.js";
import { ToolError } from "./tool-error.js";
import type { ClientTools, DumpFilter, ScratchDir, ToolInvocation, ToolResult, ToolRunOptions } from "./types.js";

export interface HostClient {
  major: number;
  version: string;
  binDir: string;
}

const PROGRAMS = ["pg_dump", "pg_restore", "psql"] as const;

/** Folders that may hold a PostgreSQL client, most specific first. */
function candidateDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.POSTKIT_PG_BINDIR) dirs.push(env.POSTKIT_PG_BINDIR);
  const globbed = (parent: string, inner: (name: string) => string) => {
    if (!existsSync(parent)) return;
    for (const name of readdirSync(parent)) dirs.push(inner(name));
  };
  globbed("/usr/lib/postgresql", (n) => path.join("/usr/lib/postgresql", n, "bin")); // Debian, Ubuntu
  globbed("/usr", (n) => (n.startsWith("pgsql-") ? path.join("/usr", n, "bin") : "")); // RHEL (PGDG)
  globbed("/opt/homebrew/opt", (n) => (n.startsWith("postgresql") ? path.join("/opt/homebrew/opt", n, "bin") : ""));
  globbed("/usr/local/opt", (n) => (n.startsWith("postgresql") ? path.join("/usr/local/opt", n, "bin") : ""));
  globbed("/Applications/Postgres.app/Contents/Versions", (n) =>
    path.join("/Applications/Postgres.app/Contents/Versions", n, "bin"),
  );
  try {
    dirs.push(
      execFileSync("pg_config", ["--bindir"], { encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] }).trim(),
    );
  } catch {
    // no pg_config on PATH
  }
  for (const dir of (env.PATH ?? "").split(path.delimiter)) if (dir) dirs.push(dir);
  return [...new Set(dirs.filter(Boolean))];
}

/** Major and version text of `<binDir>/pg_dump --version`, or undefined. */
export function clientVersion(binDir: string): { major: number; version: string } | undefined {
  if (!PROGRAMS.every((p) => existsSync(path.join(binDir, p)))) return undefined;
  try {
    // Debian's /usr/bin/pg_dump is postgresql-common's perl wrapper around the versioned folders scanned anyway.
    if (realpathSync(path.join(binDir, "pg_dump")).includes("pg_wrapper")) return undefined;
    const out = execFileSync(path.join(binDir, "pg_dump"), ["--version"], { encoding: "utf8", timeout: 10_000 });
    const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(out);
    if (!match) return undefined;
    return { major: Number(match[1]), version: `${match[1]}.${match[2] ?? 0}` };
  } catch {
    return undefined;
  }
}

/** Every complete host client (pg_dump, pg_restore and psql side by side), newest first. */
export function findHostClients(env: NodeJS.ProcessEnv): HostClient[] {
  const found: HostClient[] = [];
  for (const binDir of candidateDirs(env)) {
    const v = clientVersion(binDir);
    if (v && !found.some((f) => f.major === v.major)) found.push({ ...v, binDir });
  }
  return found.sort((a, b) => b.major - a.major);
}

/** The newest host client that can dump a server of `major`, or a clear error naming what is missing. */
export function requireHostClient(major: number, env: NodeJS.ProcessEnv): HostClient {
  const clients = findHostClients(env);
  const best = clients[0];
  if (best && best.major >= major) return best;
  const found = best ? `the newest found is pg_dump ${best.version} (${best.binDir})` : "no pg_dump was found";
  throw new PostkitError(
    "CLIENT_TOO_OLD",
    `Cloning a PostgreSQL ${major} database needs pg_dump, pg_restore and psql ${major} or newer on this machine; ${found}.`,
    {
      hint:
        `Install the PostgreSQL ${major} client (Debian/Ubuntu: apt install postgresql-client-${major} from ` +
        `apt.postgresql.org; macOS: brew install postgresql@${major}), point POSTKIT_PG_BINDIR at its bin folder, ` +
        `or use the docker runtime ("db": {"runtime": "docker"}), which runs a matching pg_dump in the container.`,
      details: { requiredMajor: major, found: clients.map((c) => ({ major: c.major, binDir: c.binDir })) },
    },
  );
}

/** Host client programs as ClientTools. */
export class HostTools implements ClientTools {
  readonly major: number;
  readonly where: string;

  constructor(
    private readonly client: HostClient,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.major = client.major;
    this.where = `host ${client.binDir}`;
  }

  private command(invocation: ToolInvocation): HostCommand {
    const env: NodeJS.ProcessEnv = { ...this.env, LC_MESSAGES: "C", PGAPPNAME: "postkit" };
    const args = [...invocation.args];
    if (invocation.url) {
      const { url, password } = splitPassword(invocation.url);
      if (password !== undefined) env.PGPASSWORD = password;
      args.push(`--dbname=${url}`);
    }
    return { file: path.join(this.client.binDir, invocation.program), args, env };
  }

  async run(invocation: ToolInvocation, options: ToolRunOptions = {}): Promise<ToolResult> {
    const finished = await runHost(this.command(invocation), options);
    if (finished.code !== 0) throw new ToolError(invocation.program, finished.code, finished.stderr, this.where);
    return toResult(finished);
  }

  async pipe(
    producer: ToolInvocation,
    consumer: ToolInvocation,
    options: ToolRunOptions & { filter?: DumpFilter } = {},
  ): Promise<ToolResult> {
    const commands = [this.command(producer)];
    if (options.filter) commands.push({ file: "sed", args: options.filter.sedArgs, env: this.env });
    commands.push(this.command(consumer));
    const outcomes = await pipeHost(commands, options);
    const [first, ...rest] = outcomes;
    const last = outcomes.at(-1)!;
    // The consumer's error is the cause when it stopped first (the producer then only saw a broken pipe).
    if (last.code !== 0) throw new ToolError(consumer.program, last.code, last.stderr, this.where);
    if (rest.length === 2 && rest[0]!.code !== 0) throw new ToolError("sh", rest[0]!.code, rest[0]!.stderr, this.where);
    if (first!.code !== 0) throw new ToolError(producer.program, first!.code, first!.stderr, this.where);
    return toResult(last);
  }

  async scratchDir(): Promise<ScratchDir> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "postkit-dump-"));
    return {
      path: dir,
      async writeFile(name, content) {
        const file = path.join(dir, name);
        await writeFile(file, content);
        return file;
      },
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  }

  reach(url: string): string {
    return url;
  }
}
