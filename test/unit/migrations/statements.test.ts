import { describe, expect, it } from "vitest";
import { splitStatements, summarize } from "../../../src/migrations/statements.js";

async function split(sql: string, offset = 0, prefix = "") {
  return splitStatements(prefix + sql, offset, sql, "f.sql");
}

describe("splitStatements", () => {
  it("splits like the server: dollar quotes, BEGIN ATOMIC, comments, semicolons in strings", async () => {
    const sql = [
      "-- header comment",
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;",
      "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;",
      "/* block */ INSERT INTO t VALUES ('a;b');",
      "SELECT 1",
    ].join("\n");
    const stmts = await split(sql);
    expect(stmts.map((s) => s.kind)).toEqual(["CreateFunctionStmt", "CreateFunctionStmt", "InsertStmt", "SelectStmt"]);
    expect(stmts[0]!.line).toBe(2);
    expect(stmts[1]!.text.endsWith("END")).toBe(true);
    expect(stmts[2]!.text).toBe("INSERT INTO t VALUES ('a;b')");
    expect(stmts[2]!).toMatchObject({ line: 4, column: 13 });
    expect(stmts[3]!.text).toBe("SELECT 1");
  });

  it("keeps character offsets right after multibyte text, relative to the file", async () => {
    const prefix = "-- migrate:up\n";
    const sql = "INSERT INTO t VALUES ('ééé'); SELECT 'ü';\nSELECT 2;";
    const stmts = await split(sql, prefix.length, prefix);
    const file = prefix + sql;
    for (const s of stmts) expect(file.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
    expect(stmts.map((s) => [s.line, s.column])).toEqual([
      [2, 1],
      [2, 31],
      [3, 1],
    ]);
  });

  it("marks statements that cannot run in a transaction, or at all", async () => {
    const stmts = await split(
      [
        "CREATE INDEX CONCURRENTLY i ON t (a);",
        "CREATE INDEX j ON t (a);",
        "DROP INDEX CONCURRENTLY i;",
        "REINDEX INDEX CONCURRENTLY j;",
        "REINDEX TABLE t;",
        "REINDEX SCHEMA s;",
        "VACUUM t;",
        "ANALYZE t;",
        "ALTER TYPE e ADD VALUE 'x';",
        "COPY t FROM STDIN;",
        "COPY t FROM '/tmp/f';",
      ].join("\n"),
    );
    expect(stmts.map((s) => s.nonTransactional ?? null)).toEqual([
      "CREATE INDEX CONCURRENTLY",
      null,
      "DROP INDEX CONCURRENTLY",
      "REINDEX CONCURRENTLY",
      null,
      "REINDEX SCHEMA/DATABASE/SYSTEM",
      "VACUUM",
      null,
      null,
      null,
      null,
    ]);
    expect(stmts[9]!.unsupported).toContain("COPY ... FROM STDIN");
    expect(stmts[10]!.unsupported).toBeUndefined();
  });

  it("reports a syntax error at file:line:col with a caret, counting from the file's start", async () => {
    const prefix = "-- migrate:up\n";
    const error = await split("SELECT 1;\nSELEC 2;", prefix.length, prefix).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('f.sql:3:1: syntax error at or near "SELEC"\n3 | SELEC 2;\n    ^');
  });

  it("returns nothing for empty or comment-only text", async () => {
    expect(await split("")).toEqual([]);
    expect(await split("-- nothing\n/* here */\n")).toEqual([]);
  });
});

describe("summarize", () => {
  it("flattens and shortens", () => {
    expect(summarize("ALTER TABLE t -- why\n  ADD COLUMN x int")).toBe("ALTER TABLE t ADD COLUMN x int");
    expect(summarize("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
  });
});
