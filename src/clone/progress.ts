/**
 * Clone progress for humans: tables copied (from psql's COPY tags or pg_dump/pg_restore -v lines) and bytes
 * loaded (from the local server's pg_stat_progress_copy, polled once a second). Only a spinner's text changes; on
 * a non-terminal nothing is printed until the step ends.
 */
import type { Spinner } from "../context.js";
import { connect } from "../pg/client.js";
import { formatBytes } from "../util/format.js";

export class CloneProgress {
  private phase = "creating schema objects";
  private tablesDone = 0;
  private dumped = 0;
  private readonly finishedBytes = new Map<string, number>();
  private current: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly spinner: Spinner,
    private readonly prefix: string,
    private readonly totalTables: number,
  ) {}

  setPhase(phase: string): void {
    this.phase = phase;
    this.render();
  }

  /** A table's data finished loading. */
  tableLoaded(): void {
    this.tablesDone++;
    if (this.tablesDone >= this.totalTables) this.phase = "indexes and constraints";
    this.render();
  }

  tableDumped(): void {
    this.dumped++;
    this.phase = `dumping ${this.dumped}/${this.totalTables} tables`;
    this.render();
  }

  /** psql prints a "COPY <n>" tag per table it loaded. */
  psqlLine(line: string): void {
    if (line.startsWith("COPY ")) this.tableLoaded();
    else if (this.tablesDone === 0 && this.phase === "creating schema objects" && line === "SET") this.render();
  }

  /** pg_dump / pg_restore --verbose lines. */
  verboseLine(line: string): void {
    if (/^pg_dump: dumping contents of table /.test(line)) this.tableDumped();
    else if (/^pg_restore: processing data for table /.test(line)) {
      this.phase = "copying data";
      this.render();
    } else if (/^pg_restore: finished item \d+ TABLE DATA /.test(line)) this.tableLoaded();
    else if (/^pg_restore: creating (INDEX|CONSTRAINT|FK CONSTRAINT|TRIGGER) /.test(line)) {
      this.phase = "indexes and constraints";
      this.render();
    }
  }

  private bytes(): number {
    let sum = 0;
    for (const b of this.finishedBytes.values()) sum += b;
    return sum;
  }

  private render(): void {
    const tables = this.totalTables > 0 ? `, ${this.tablesDone}/${this.totalTables} tables` : "";
    const bytes = this.bytes();
    const size = bytes > 0 ? `, ${formatBytes(bytes)} loaded` : "";
    const current = this.current && this.phase === "copying data" ? ` (${this.current})` : "";
    this.spinner.update(`${this.prefix}: ${this.phase}${tables}${size}${current}`);
  }

  /** Polls pg_stat_progress_copy on the clone once a second until stop(). */
  startPolling(localUrl: string): void {
    if (this.polling) return;
    this.polling = true;
    let client: Awaited<ReturnType<typeof connect>> | undefined;
    const tick = async () => {
      try {
        client ??= await connect(localUrl, {
          label: "local clone",
          connectTimeoutMs: 2000,
          applicationName: "postkit progress",
        });
        const r = await client.query<{ rel: string; bytes: string }>(
          "SELECT relid::regclass::text AS rel, bytes_processed::text AS bytes FROM pg_stat_progress_copy WHERE datname = current_database()",
        );
        for (const row of r.rows) {
          this.finishedBytes.set(row.rel, Math.max(this.finishedBytes.get(row.rel) ?? 0, Number(row.bytes)));
          this.current = row.rel;
          if (this.phase === "creating schema objects") this.phase = "copying data";
        }
        this.render();
      } catch {
        // progress is best effort
      }
      if (this.polling) this.timer = setTimeout(tick, 1000);
      else await client?.end().catch(() => {});
    };
    this.timer = setTimeout(tick, 1000);
    this.stopPolling = async () => {
      this.polling = false;
      clearTimeout(this.timer);
      await client?.end().catch(() => {});
    };
  }

  stopPolling: () => Promise<void> = async () => {};

  get loadedBytes(): number {
    return this.bytes();
  }
}
