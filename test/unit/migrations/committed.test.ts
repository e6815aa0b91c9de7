import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CommittedMigration, committedMigrationInputs } from "../../../src/migrations/committed.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "postkit-committed-"));
  await mkdir(path.join(root, ".postkit/db/migrations"), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const entry = (name: string): CommittedMigration => ({
  migrationFile: { name, path: `.postkit/db/migrations/${name}`, timestamp: name.slice(0, 14) },
  description: "d",
  sessionMigrations: [],
  committedAt: "2026-01-01T00:00:00.000Z",
});

describe("committedMigrationInputs", () => {
  it("reads the committed files as runner inputs, in order", async () => {
    await writeFile(
      path.join(root, ".postkit/db/migrations/20260101000002_b.sql"),
      "-- migrate:up\nB\n-- migrate:down\n",
    );
    await writeFile(
      path.join(root, ".postkit/db/migrations/20260101000001_a.sql"),
      "-- migrate:up\nA\n-- migrate:down\n",
    );
    const inputs = await committedMigrationInputs(root, [entry("20260101000001_a.sql"), entry("20260101000002_b.sql")]);
    expect(inputs.map((i) => [i.version, i.name, i.file])).toEqual([
      ["20260101000001", "20260101000001_a.sql", ".postkit/db/migrations/20260101000001_a.sql"],
      ["20260101000002", "20260101000002_b.sql", ".postkit/db/migrations/20260101000002_b.sql"],
    ]);
    expect(inputs[1]!.text).toContain("B");
  });

  it("names a listed file that is missing", async () => {
    await expect(committedMigrationInputs(root, [entry("20260101000001_a.sql")])).rejects.toThrow(
      "Committed migration .postkit/db/migrations/20260101000001_a.sql is listed in committed.json but missing.",
    );
  });
});
