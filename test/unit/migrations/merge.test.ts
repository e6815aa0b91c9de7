import { describe, expect, it } from "vitest";
import { mergeSessionFiles } from "../../../src/migrations/merge.js";
import { renderMigrationFile } from "../../../src/migrations/migration-file.js";

function file(name: string, up: string, transaction = true) {
  return {
    entry: { name, version: name.slice(0, 14), path: `/x/${name}`, relative: `.postkit/db/session/${name}` },
    text: renderMigrationFile({ up, transaction }),
  };
}

const options = { description: "d", committedAt: "2026-01-01T00:00:00.000Z" };

describe("mergeSessionFiles", () => {
  it("merges in name order with PostKit's header and Source blocks, skipping empty files", () => {
    const parts = mergeSessionFiles(
      [
        file("20260101000002_b.sql", "SELECT 2;"),
        file("20260101000001_a.sql", "SELECT 1;"),
        file("20260101000003_c.sql", "-- nothing\n"),
      ],
      options,
    );
    expect(parts).toHaveLength(1);
    expect(parts[0]!.text).toBe(
      [
        "-- migrate:up",
        "-- Migration: d",
        "-- Merged from 3 session migration(s)",
        "-- Committed at: 2026-01-01T00:00:00.000Z",
        "",
        "-- Source: 20260101000001_a.sql",
        "SELECT 1;",
        "",
        "-- Source: 20260101000002_b.sql",
        "SELECT 2;",
        "",
        "-- Source: 20260101000003_c.sql",
        "-- nothing",
        "",
        "-- migrate:down",
        "-- Add rollback SQL here if needed",
        "",
      ].join("\n"),
    );
  });

  it("cuts at a change of transaction mode", () => {
    const parts = mergeSessionFiles(
      [
        file("20260101000001_a.sql", "SELECT 1;"),
        file("20260101000002_b.sql", "CREATE INDEX CONCURRENTLY i ON t (a);", false),
        file("20260101000003_c.sql", "CREATE INDEX CONCURRENTLY j ON t (b);", false),
        file("20260101000004_d.sql", "SELECT 4;"),
      ],
      options,
    );
    expect(parts.map((p) => [p.transaction, p.sources.map((s) => s.name.slice(15))])).toEqual([
      [true, ["a.sql"]],
      [false, ["b.sql", "c.sql"]],
      [true, ["d.sql"]],
    ]);
    expect(parts[1]!.text.startsWith("-- migrate:up transaction:false\n")).toBe(true);
    expect(parts[1]!.text).toContain("-- Part 2 of 3: runs statement by statement, outside a transaction");
  });

  it("fails with PostKit's messages when there is nothing to merge", () => {
    expect(() => mergeSessionFiles([], options)).toThrow("No session migrations found to merge.");
    expect(() => mergeSessionFiles([file("20260101000001_a.sql", "")], options)).toThrow(
      "No migration content found in session files.",
    );
  });
});
