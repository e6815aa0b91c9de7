/**
 * Migration file names and versions: `<YYYYMMDDHHMMSS>_<description>.sql` (reference §7.3), the version being the
 * numeric prefix, as dbmate reads it. Versions postkit makes are local timestamps, strictly increasing: a new one is
 * never equal to or below a version that already exists in the folders it is given.
 */

const FILE = /^(\d+)_.*\.sql$/;

/** Local time as YYYYMMDDHHMMSS (PostKit's timestamp format). */
export function formatTimestamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return (
    p(date.getFullYear(), 4) +
    p(date.getMonth() + 1) +
    p(date.getDate()) +
    p(date.getHours()) +
    p(date.getMinutes()) +
    p(date.getSeconds())
  );
}

/** The Date of a YYYYMMDDHHMMSS timestamp (local time), or undefined when it is not one. */
export function parseTimestamp(version: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s);
}

/**
 * A description as it appears in a file name: lower case, every run of characters outside [a-z0-9] becomes one
 * `_`, no leading or trailing `_`, at most 80 characters. (PostKit kept repeated and edge underscores; the
 * version, not the name, identifies a migration, so this changes nothing for dbmate.)
 */
export function slugify(description: string): string {
  return description
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 80)
    .replace(/_+$/, "");
}

export function migrationFileName(version: string, description: string): string {
  return `${version}_${slugify(description)}.sql`;
}

/** The version of a migration file name, or undefined when dbmate would not treat it as a migration. */
export function versionOf(fileName: string): string | undefined {
  return FILE.exec(fileName)?.[1];
}

export function isMigrationFileName(fileName: string): boolean {
  return FILE.test(fileName);
}

/**
 * `count` consecutive versions (one second apart) starting at `now`, or just after the highest existing version
 * when that is later: files made within the same second, or after a clock step backwards, still sort after
 * everything already there.
 */
export function nextVersions(now: Date, count: number, existing: Iterable<string>): string[] {
  let start = new Date(now.getTime());
  start.setMilliseconds(0);
  let highest: string | undefined;
  for (const v of existing) if (!highest || compareVersions(v, highest) > 0) highest = v;
  if (highest && compareVersions(formatTimestamp(start), highest) <= 0) {
    const parsed = parseTimestamp(highest);
    // A non-timestamp version (e.g. 00000000000001) is below any real timestamp, so this only matters for real ones.
    if (parsed) start = new Date(parsed.getTime() + 1000);
  }
  return Array.from({ length: count }, (_, i) => formatTimestamp(new Date(start.getTime() + i * 1000)));
}

/** Numeric comparison of versions (dbmate compares them as strings of digits of possibly different lengths). */
export function compareVersions(a: string, b: string): number {
  const x = a.replace(/^0+/, "");
  const y = b.replace(/^0+/, "");
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
