/**
 * PostKit's human output style: coloured `info`/`success`/`warn`/`error` prefixes, cyan `[n/m]` steps, magenta DDL,
 * ora spinners. Differences from PostKit, on purpose: warnings and errors go to stderr; spinners animate only on a
 * terminal (elsewhere only their final line is printed); in --json mode everything here goes to stderr so stdout
 * carries exactly one JSON document.
 */
import { Chalk, type ChalkInstance } from "chalk";
import ora, { type Ora } from "ora";
import type { Reporter, Spinner } from "../../context.js";
import type { Redactor } from "../../util/redact.js";

export interface TerminalStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface TerminalReporterOptions {
  streams: TerminalStreams;
  redactor: Redactor;
  verbose: boolean;
  /** --json: narrative goes to stderr. */
  json: boolean;
  /** false with --no-color or NO_COLOR. */
  color: boolean;
}

export class TerminalReporter implements Reporter {
  private readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly err: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly c: ChalkInstance;
  private active: Ora | undefined;

  constructor(private readonly options: TerminalReporterOptions) {
    this.out = options.json ? options.streams.stderr : options.streams.stdout;
    this.err = options.streams.stderr;
    this.c = new Chalk({ level: options.color && this.out.isTTY ? 1 : 0 });
  }

  private write(stream: NodeJS.WritableStream, text: string): void {
    // A spinner owns the current terminal line; clear it so the line lands above it, then redraw.
    const spinner = this.active;
    if (spinner?.isSpinning) spinner.clear();
    stream.write(`${this.options.redactor.redact(text)}\n`);
    if (spinner?.isSpinning) spinner.render();
  }

  heading(title: string): void {
    this.write(this.out, "");
    this.write(this.out, this.c.bold.underline(title));
    this.write(this.out, "");
  }
  step(n: number, total: number, message: string): void {
    this.write(this.out, `${this.c.cyan(`[${n}/${total}]`)} ${message}`);
  }
  info(message: string): void {
    this.write(this.out, `${this.c.blue("info")} ${message}`);
  }
  success(message: string): void {
    this.write(this.out, `${this.c.green("success")} ${message}`);
  }
  warn(message: string): void {
    this.write(this.err, `${this.c.yellow("warn")} ${message}`);
  }
  error(message: string): void {
    this.write(this.err, `${this.c.red("error")} ${message}`);
  }
  /** The error boundary's rendering of a failed command: the error, then its hint, both on stderr. */
  failure(message: string, hint: string | undefined): void {
    this.write(this.err, `${this.c.red("error")} ${message}`);
    if (hint) this.write(this.err, `${this.c.blue("info")} ${hint}`);
  }
  debug(message: string): void {
    if (this.options.verbose) this.write(this.err, `${this.c.gray("debug")} ${message}`);
  }
  blank(): void {
    this.write(this.out, "");
  }
  sql(text: string): void {
    this.write(this.out, this.c.magenta(text));
  }
  line(text: string): void {
    this.write(this.out, text);
  }
  table(headers: string[], rows: string[][]): void {
    const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ""))));
    const pad = (cell: string, i: number) => cell + " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell)));
    this.write(this.out, this.c.bold(headers.map(pad).join(" | ")));
    this.write(this.out, this.c.gray(widths.map((w) => "-".repeat(w)).join("-+-")));
    for (const row of rows) this.write(this.out, headers.map((_, i) => pad(row[i] ?? "", i)).join(" | "));
  }

  spinner(text: string): Spinner {
    // A pseudo-terminal without a size (e.g. `script` fed from a pipe) reports 0 columns, for which ora's line
    // count is infinite and clearing the spinner never ends: print only the outcome there too.
    const columns = (this.err as { columns?: number }).columns;
    const animate = Boolean(this.err.isTTY) && !this.options.json && columns !== 0;
    const redact = (t: string) => this.options.redactor.redact(t);
    if (!animate) return new StaticSpinner(text, (line) => this.write(this.out, line), this.c);
    this.active?.stop();
    const color = this.options.color;
    const spinner = ora({
      text: redact(text),
      stream: this.err,
      color: color ? "cyan" : false,
      isEnabled: true,
    }).start();
    this.active = spinner;
    // Our symbols, coloured by our Chalk: ora's own follow only NO_COLOR, not --no-color.
    const symbols = {
      succeed: this.c.green("✔"),
      fail: this.c.red("✖"),
      warn: this.c.yellow("⚠"),
      info: this.c.blue("ℹ"),
    };
    const finish = (method: "succeed" | "fail" | "warn" | "info", t?: string) => {
      spinner.stopAndPersist({ symbol: symbols[method], text: t === undefined ? undefined : redact(t) });
      if (this.active === spinner) this.active = undefined;
    };
    return {
      update: (t) => {
        spinner.text = redact(t);
      },
      succeed: (t) => finish("succeed", t),
      fail: (t) => finish("fail", t),
      warn: (t) => finish("warn", t),
      info: (t) => finish("info", t),
      stop: () => {
        spinner.stop();
        if (this.active === spinner) this.active = undefined;
      },
    };
  }
}

/** Without a terminal a spinner prints only its outcome, as one line with the same symbol ora would use. */
class StaticSpinner implements Spinner {
  private done = false;
  constructor(
    private text: string,
    private readonly print: (line: string) => void,
    private readonly c: ChalkInstance,
  ) {}
  update(text: string): void {
    this.text = text;
  }
  private finish(symbol: string, text: string | undefined): void {
    if (this.done) return;
    this.done = true;
    this.print(`${symbol} ${text ?? this.text}`);
  }
  succeed(text?: string): void {
    this.finish(this.c.green("✔"), text);
  }
  fail(text?: string): void {
    this.finish(this.c.red("✖"), text);
  }
  warn(text?: string): void {
    this.finish(this.c.yellow("⚠"), text);
  }
  info(text?: string): void {
    this.finish(this.c.blue("ℹ"), text);
  }
  stop(): void {
    this.done = true;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g;
function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}
