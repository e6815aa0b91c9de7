import { describe, expect, it } from "vitest";
import { DOWN_PLACEHOLDER, parseMigrationFile, renderMigrationFile } from "../../../src/migrations/migration-file.js";

describe("parseMigrationFile (dbmate's format)", () => {
  it("finds both sections with offsets, lines and the transaction option", () => {
    const text =
      "-- a comment\n\n-- migrate:up transaction:false foo:bar\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n";
    const parsed = parseMigrationFile(text, "m.sql");
    expect(parsed.up.transaction).toBe(false);
    expect(parsed.up.options).toEqual({ transaction: "false", foo: "bar" });
    expect(parsed.up.line).toBe(4);
    expect(text.slice(parsed.up.offset).startsWith("CREATE INDEX")).toBe(true);
    expect(parsed.up.sql.trim()).toBe("CREATE INDEX CONCURRENTLY i ON t (a);");
    expect(parsed.down.sql.trim()).toBe("DROP INDEX i;");
    expect(parsed.down.transaction).toBe(true);
  });

  it("accepts dbmate's spacing variants and CRLF-free files without a trailing newline", () => {
    const parsed = parseMigrationFile("--migrate:up\nSELECT 1;\n--   migrate:down", "m.sql");
    expect(parsed.up.transaction).toBe(true);
    expect(parsed.up.sql).toBe("SELECT 1;\n");
    expect(parsed.down.sql).toBe("");
  });

  it("rejects what dbmate rejects, naming the file", () => {
    expect(() => parseMigrationFile("SELECT 1;\n-- migrate:down\n", "a.sql")).toThrow(
      "a.sql: no '-- migrate:up' line.",
    );
    expect(() => parseMigrationFile("-- migrate:up\nSELECT 1;\n", "a.sql")).toThrow(
      "a.sql: no '-- migrate:down' line.",
    );
    expect(() => parseMigrationFile("-- migrate:down\n-- migrate:up\n", "a.sql")).toThrow("comes before");
    expect(() => parseMigrationFile("-- hi\nCREATE TABLE x ();\n-- migrate:up\n-- migrate:down\n", "a.sql")).toThrow(
      "a.sql: line 2: SQL before the '-- migrate:up' line.",
    );
  });
});

describe("renderMigrationFile", () => {
  it("writes PostKit's layout, the transaction option and the down placeholder", () => {
    expect(renderMigrationFile({ up: "\nSELECT 1;\n" })).toBe(
      `-- migrate:up\nSELECT 1;\n\n-- migrate:down\n${DOWN_PLACEHOLDER}\n`,
    );
    expect(renderMigrationFile({ up: "SELECT 1;", transaction: false, header: ["Migration: x"] })).toBe(
      `-- migrate:up transaction:false\n-- Migration: x\n\nSELECT 1;\n\n-- migrate:down\n${DOWN_PLACEHOLDER}\n`,
    );
  });

  it("round-trips through the parser", () => {
    const text = renderMigrationFile({ up: "CREATE TABLE a (id int);", transaction: false, down: "DROP TABLE a;" });
    const parsed = parseMigrationFile(text, "m.sql");
    expect(parsed.up.transaction).toBe(false);
    expect(parsed.up.sql.trim()).toBe("CREATE TABLE a (id int);");
    expect(parsed.down.sql.trim()).toBe("DROP TABLE a;");
  });
});
