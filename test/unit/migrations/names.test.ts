import { describe, expect, it } from "vitest";
import {
  compareVersions,
  formatTimestamp,
  migrationFileName,
  nextVersions,
  parseTimestamp,
  slugify,
  versionOf,
} from "../../../src/migrations/names.js";

describe("migration names", () => {
  it("slugifies descriptions without empty or edge underscores", () => {
    expect(slugify("Add users table")).toBe("add_users_table");
    expect(slugify("  Email + age! ")).toBe("email_age");
    expect(slugify("!!!")).toBe("");
    expect(slugify("x".repeat(100))).toHaveLength(80);
    expect(migrationFileName("20260101120000", "Add Users")).toBe("20260101120000_add_users.sql");
  });

  it("reads versions the way dbmate does", () => {
    expect(versionOf("20260101120000_add.sql")).toBe("20260101120000");
    expect(versionOf("20260101120000_.sql")).toBe("20260101120000");
    expect(versionOf("notes.sql")).toBeUndefined();
    expect(versionOf("20260101120000_add.txt")).toBeUndefined();
  });

  it("formats and parses local timestamps", () => {
    const d = new Date(2026, 0, 2, 3, 4, 5);
    expect(formatTimestamp(d)).toBe("20260102030405");
    expect(parseTimestamp("20260102030405")?.getTime()).toBe(d.getTime());
    expect(parseTimestamp("00000000000001")?.getTime()).toBeDefined();
    expect(parseTimestamp("123")).toBeUndefined();
  });

  it("gives versions strictly after existing ones, one second apart, across midnight", () => {
    const now = new Date(2026, 0, 1, 23, 59, 59, 500);
    expect(nextVersions(now, 2, [])).toEqual(["20260101235959", "20260102000000"]);
    expect(nextVersions(now, 1, ["20260101235959"])).toEqual(["20260102000000"]);
    // A clock behind the newest file still sorts after it.
    expect(nextVersions(now, 1, ["20270101000000"])).toEqual(["20270101000001"]);
    expect(nextVersions(now, 1, ["00000000000001"])).toEqual(["20260101235959"]);
  });

  it("compares versions numerically", () => {
    expect(compareVersions("9", "10")).toBeLessThan(0);
    expect(compareVersions("0010", "10")).toBe(0);
    expect(compareVersions("20260101000002", "20260101000001")).toBeGreaterThan(0);
  });
});
