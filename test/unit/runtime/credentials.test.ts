import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePassword, splitPassword } from "../../../src/runtime/credentials.js";

describe("splitPassword", () => {
  it("removes the password from the URL and decodes it", () => {
    const s = splitPassword("postgres://app:p%40ss%3Aw@db.example.com:5433/shop?sslmode=require");
    expect(s.password).toBe("p@ss:w");
    expect(s.url).toBe("postgres://app@db.example.com:5433/shop?sslmode=require");
  });
  it("leaves a URL without password alone", () => {
    expect(splitPassword("postgres://app@db/shop")).toEqual({ url: "postgres://app@db/shop", password: undefined });
  });
});

describe("resolvePassword (for programs that cannot read ~/.pgpass)", () => {
  let dir: string;
  let passfile: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "pgpass-"));
    passfile = path.join(dir, "pgpass");
    await writeFile(
      passfile,
      ["# comment", "other:5432:*:app:wrong", "db.example.com:5433:shop:app:from\\:file", "*:*:*:admin:any"].join("\n"),
      { mode: 0o600 },
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("prefers the URL's password, then PGPASSWORD", () => {
    expect(resolvePassword("postgres://app:inurl@db.example.com/shop", { PGPASSWORD: "env" })).toBe("inurl");
    expect(resolvePassword("postgres://app@db.example.com/shop", { PGPASSWORD: "env" })).toBe("env");
  });
  it("reads a matching passfile line, with escapes and wildcards", () => {
    const env = { PGPASSFILE: passfile, HOME: dir };
    expect(resolvePassword("postgres://app@db.example.com:5433/shop", env)).toBe("from:file");
    expect(resolvePassword("postgres://admin@anything:1/x", env)).toBe("any");
    expect(resolvePassword("postgres://app@db.example.com:5432/shop", env)).toBeUndefined();
  });
  it("ignores a passfile readable by others, as libpq does", async () => {
    const loose = path.join(dir, "loose");
    await writeFile(loose, "*:*:*:*:secret\n", { mode: 0o644 });
    expect(resolvePassword("postgres://app@h/db", { PGPASSFILE: loose })).toBeUndefined();
  });
});
