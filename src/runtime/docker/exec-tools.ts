/**
 * pg_dump / pg_restore / psql inside the container that runs the local server (docker exec), so the client is
 * always the server's own version. A pipe between two programs runs as one shell inside the container: the dump
 * never crosses the Docker API unless it has to be transformed on the way.
 */
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import { resolvePassword, splitPassword } from "../credentials.js";
import { collectText } from "../lines.js";
import { ToolError } from "../tool-error.js";
import type { ClientTools, DumpFilter, ScratchDir, ToolInvocation, ToolResult, ToolRunOptions } from "../types.js";

/** libpq environment variables worth forwarding into the container (files such as PGSSLROOTCERT are not). */
const FORWARDED_ENV = [
  "PGSSLMODE",
  "PGREQUIRESSL",
  "PGGSSENCMODE",
  "PGCHANNELBINDING",
  "PGCONNECT_TIMEOUT",
  "PGOPTIONS",
  "PGAPPNAME",
  "PGTARGETSESSIONATTRS",
  "PGCLIENTENCODING",
  "PGTZ",
];

interface ExecOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecToolsOptions {
  docker: Docker;
  container: Docker.Container;
  containerName: string;
  major: number;
  env: NodeJS.ProcessEnv;
  /** bridge networking: the host is host.docker.internal from inside the container. */
  bridge: boolean;
}

/** Single-quotes a word for POSIX sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export class ExecTools implements ClientTools {
  readonly major: number;
  readonly where: string;

  constructor(private readonly options: ExecToolsOptions) {
    this.major = options.major;
    this.where = `container ${options.containerName}`;
  }

  private baseEnv(): string[] {
    const env = ["LC_MESSAGES=C", "PGAPPNAME=postkit"];
    for (const name of FORWARDED_ENV) {
      const value = this.options.env[name];
      if (value !== undefined) env.push(`${name}=${value}`);
    }
    return env;
  }

  /** argv with --dbname (password removed) and the password for PGPASSWORD. */
  private argv(invocation: ToolInvocation): { argv: string[]; password: string | undefined } {
    const argv = [invocation.program, ...invocation.args];
    let password: string | undefined;
    if (invocation.url) {
      password = resolvePassword(invocation.url, this.options.env);
      argv.push(`--dbname=${splitPassword(invocation.url).url}`);
    }
    return { argv, password };
  }

  /** Starts an exec and returns its streams and a promise of the outcome. */
  private async exec(cmd: string[], env: string[], options: ToolRunOptions): Promise<ExecOutcome> {
    const { docker, container } = this.options;
    const withInput = options.input !== undefined;
    const exec = await container.exec({
      Cmd: cmd,
      Env: env,
      AttachStdin: withInput,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: withInput });
    const out = new PassThrough();
    const err = new PassThrough();
    docker.modem.demuxStream(stream, out, err);
    const stdout = collectText(out, options.onStdoutLine);
    const stderr = collectText(err, options.onStderrLine);
    const onAbort = () => stream.destroy();
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (withInput) {
        if (typeof options.input === "string") stream.end(options.input);
        else await pipeline(options.input as Readable, stream, { end: true }).catch(() => {});
      }
      await new Promise<void>((resolve) => {
        stream.once("end", resolve);
        stream.once("close", resolve);
        stream.once("error", () => resolve());
      });
      out.end();
      err.end();
      if (options.signal?.aborted) return { code: null, stdout: stdout(), stderr: stderr() };
      // The engine may close the streams a moment before it records the exit code.
      let info = await exec.inspect();
      for (let i = 0; info.Running && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        info = await exec.inspect();
      }
      return { code: info.ExitCode ?? null, stdout: stdout(), stderr: stderr() };
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  async run(invocation: ToolInvocation, options: ToolRunOptions = {}): Promise<ToolResult> {
    const { argv, password } = this.argv(invocation);
    const env = this.baseEnv();
    if (password !== undefined) env.push(`PGPASSWORD=${password}`);
    const outcome = await this.exec(argv, env, options);
    if (outcome.code !== 0) throw new ToolError(invocation.program, outcome.code, outcome.stderr, this.where);
    return { stdout: outcome.stdout, stderr: outcome.stderr };
  }

  async pipe(
    producer: ToolInvocation,
    consumer: ToolInvocation,
    options: ToolRunOptions & { filter?: DumpFilter } = {},
  ): Promise<ToolResult> {
    const a = this.argv(producer);
    const b = this.argv(consumer);
    const env = this.baseEnv();
    if (a.password !== undefined) env.push(`POSTKIT_PRODUCER_PW=${a.password}`);
    if (b.password !== undefined) env.push(`POSTKIT_CONSUMER_PW=${b.password}`);
    const pw = (name: string, given: string | undefined) => (given === undefined ? "" : `PGPASSWORD="$${name}" `);
    const filter = options.filter ? `sed ${options.filter.sedArgs.map(shellQuote).join(" ")} | ` : "";
    // POSIX sh has no pipefail everywhere (dash): the producer's status travels through a file.
    const script = [
      "rcfile=$(mktemp)",
      `{ ${pw("POSTKIT_PRODUCER_PW", a.password)}${a.argv.map(shellQuote).join(" ")}; echo $? > "$rcfile"; } | ` +
        `${filter}${pw("POSTKIT_CONSUMER_PW", b.password)}${b.argv.map(shellQuote).join(" ")}`,
      "rc=$?",
      'prc=$(cat "$rcfile"); rm -f "$rcfile"',
      'if [ "$prc" != 0 ]; then echo "postkit-producer-exit=$prc" >&2; fi',
      "exit $rc",
    ].join("\n");
    const outcome = await this.exec(["sh", "-c", script], env, options);
    const producerExit = /postkit-producer-exit=(\d+)/.exec(outcome.stderr);
    const stderr = outcome.stderr.replace(/postkit-producer-exit=\d+\n?/, "");
    if (outcome.code !== 0) throw new ToolError(consumer.program, outcome.code, stderr, this.where);
    if (producerExit) throw new ToolError(producer.program, Number(producerExit[1]), stderr, this.where);
    return { stdout: outcome.stdout, stderr };
  }

  async scratchDir(): Promise<ScratchDir> {
    const made = await this.exec(["mktemp", "-d", "/tmp/postkit-dump-XXXXXX"], [], {});
    if (made.code !== 0) throw new ToolError("sh", made.code, made.stderr, this.where);
    const dir = made.stdout.trim();
    return {
      path: dir,
      writeFile: async (name, content) => {
        const file = `${dir}/${name}`;
        const r = await this.exec(["sh", "-c", 'cat > "$1"', "sh", file], [], { input: content });
        if (r.code !== 0) throw new ToolError("sh", r.code, r.stderr, this.where);
        return file;
      },
      remove: async () => {
        await this.exec(["rm", "-rf", dir], [], {}).catch(() => {});
      },
    };
  }

  reach(url: string): string {
    if (!this.options.bridge) return url;
    try {
      const parsed = new URL(url);
      if (["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname)) parsed.hostname = "host.docker.internal";
      return parsed.toString();
    } catch {
      return url;
    }
  }
}
