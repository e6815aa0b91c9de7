import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { chooseStrategy } from "../../../src/clone/clone.js";
import { planDataGroups } from "../../../src/clone/parallel.js";
import { filterToc, schemaFilter } from "../../../src/clone/pipelines.js";
import type { SourceTable } from "../../../src/clone/source.js";

describe("schemaFilter (sed, run for real)", () => {
  const dump = [
    "SET statement_timeout = 0;",
    "CREATE SCHEMA app;",
    'CREATE SCHEMA "Weird.Name";',
    "CREATE SCHEMA other;",
    "CREATE TABLE app.notes (body text);",
    "COPY app.notes (body) FROM stdin;",
    "CREATE SCHEMA app;",
    "\\.",
    "",
  ].join("\n");

  it("adds IF NOT EXISTS for existing schemas before the data, and never touches row data", () => {
    const filter = schemaFilter(["app", "Weird.Name"])!;
    const out = execFileSync("sed", filter.sedArgs, { input: dump, encoding: "utf8" });
    expect(out.split("\n")).toEqual([
      "SET statement_timeout = 0;",
      "CREATE SCHEMA IF NOT EXISTS app;",
      'CREATE SCHEMA IF NOT EXISTS "Weird.Name";',
      "CREATE SCHEMA other;",
      "CREATE TABLE app.notes (body text);",
      "COPY app.notes (body) FROM stdin;",
      "CREATE SCHEMA app;",
      "\\.",
      "",
    ]);
  });
  it("is not needed without existing schemas", () => {
    expect(schemaFilter([])).toBeUndefined();
  });
});

describe("filterToc", () => {
  it("comments out the SCHEMA entries of existing schemas only", () => {
    const toc = [
      "5; 2615 16385 SCHEMA - app app_owner",
      "6; 2615 16386 SCHEMA - audit postgres",
      "7; 1259 16400 TABLE app x postgres",
    ].join("\n");
    expect(filterToc(toc, ["app"]).split("\n")).toEqual([
      ";5; 2615 16385 SCHEMA - app app_owner",
      "6; 2615 16386 SCHEMA - audit postgres",
      "7; 1259 16400 TABLE app x postgres",
    ]);
  });
});

const MB = 1024 * 1024;
const t = (bytes: number, name = String(bytes), extension = false): SourceTable => ({
  schema: "s",
  name,
  kind: "r",
  estimate: 1,
  bytes,
  extension,
});

describe("chooseStrategy", () => {
  it("streams small databases, structure-only clones and single-job clones", () => {
    expect(chooseStrategy([t(10 * MB), t(40 * MB)], false, 4)).toBe("stream");
    expect(chooseStrategy([t(900 * MB), t(900 * MB)], true, 4)).toBe("stream");
    expect(chooseStrategy([t(900 * MB), t(900 * MB)], false, 1)).toBe("stream");
  });
  it("splits the rows over parallel streams from 64 MB of table data with two or more jobs", () => {
    expect(chooseStrategy([t(50 * MB), t(20 * MB)], false, 2)).toBe("parallel");
  });
});

describe("planDataGroups", () => {
  it("gives large tables streams of their own, largest first, and the rest to the least loaded stream", () => {
    const tables = [t(300 * MB, "a"), t(200 * MB, "b"), t(150 * MB, "c"), t(1 * MB, "small"), t(50 * MB, "ext", true)];
    const groups = planDataGroups(tables, 2);
    // a -> stream 1; b -> stream 2; c -> stream 2 (200 < 300); the rest goes to the least loaded: stream 1 (a)
    expect(groups.map((g) => ({ inc: g.include?.map((x) => x.name), exc: g.exclude?.map((x) => x.name) }))).toEqual([
      { inc: ["b", "c"], exc: undefined },
      { inc: undefined, exc: ["b", "c"] },
    ]);
    // extension tables are never truncated (their dumped rows may be a filtered subset)
    expect(groups[1]?.truncate.map((x) => x.name)).toEqual(["a", "small"]);
  });
  it("is one stream of everything when nothing is large", () => {
    const groups = planDataGroups([t(1 * MB, "x"), t(2 * MB, "y")], 4);
    expect(groups).toEqual([{ exclude: [], truncate: [t(1 * MB, "x"), t(2 * MB, "y")], bytes: 3 * MB }]);
  });
});
