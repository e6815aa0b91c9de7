import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { chooseStrategy } from "../../../src/clone/clone.js";
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

describe("chooseStrategy", () => {
  const t = (bytes: number): SourceTable => ({
    schema: "s",
    name: String(bytes),
    kind: "r",
    estimate: 1,
    bytes,
    extension: false,
  });
  const MB = 1024 * 1024;
  it("streams small databases, structure-only clones and single-job clones", () => {
    expect(chooseStrategy([t(10 * MB), t(200 * MB)], false, 4)).toBe("stream");
    expect(chooseStrategy([t(900 * MB), t(900 * MB)], true, 4)).toBe("stream");
    expect(chooseStrategy([t(900 * MB), t(900 * MB)], false, 1)).toBe("stream");
  });
  it("uses the parallel directory pipeline from 256 MB of table data with two or more jobs", () => {
    expect(chooseStrategy([t(200 * MB), t(60 * MB)], false, 2)).toBe("directory");
    expect(chooseStrategy([t(300 * MB)], false, 2)).toBe("directory");
  });
});
