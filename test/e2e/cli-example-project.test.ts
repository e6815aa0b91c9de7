/**
 * The example project at the repository root (postkit.config.json, db/infra, db/schema/public) is what the README
 * and the demo use: its config must load with the built binary, and its SQL must load into real PostgreSQL servers
 * (oldest and newest supported majors) in the reference's order: infra, then sections by rank, then seeds.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { ROOT, runBinary } from "../helpers/cli.js";
import { startTestServer } from "../helpers/pg-server.js";

const SECTION_RANK: Record<string, number> = { enums: 3, tables: 7, views: 8, indexes: 11, grants: 14 };

async function sqlFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
  return Promise.all(names.map((n) => readFile(path.join(dir, n), "utf8")));
}

async function exampleScript(): Promise<{ ddl: string[]; seeds: string[] }> {
  const schemaDir = path.join(ROOT, "db", "schema", "public");
  const sections = (await readdir(schemaDir)).filter((s) => s !== "seeds");
  for (const s of sections) expect(SECTION_RANK, `unexpected section ${s}`).toHaveProperty(s);
  sections.sort((a, b) => SECTION_RANK[a]! - SECTION_RANK[b]!);
  const ddl = [...(await sqlFiles(path.join(ROOT, "db", "infra")))];
  for (const s of sections) ddl.push(...(await sqlFiles(path.join(schemaDir, s))));
  return { ddl, seeds: await sqlFiles(path.join(schemaDir, "seeds")) };
}

describe("the example project", () => {
  it("its config loads (the binary, from a subfolder)", async () => {
    const r = await runBinary(["--cwd", path.join(ROOT, "db", "schema"), "db", "remote", "list", "--json"], {
      cwd: ROOT,
      env: { PRODUCTION_DATABASE_URL: "postgres://h/prod" },
    });
    // A developer's own postkit.secrets.json may exist here (gitignored); either way the config must be valid.
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).not.toContain("Unknown config key");
  });

  it("the example secrets file is valid config", async () => {
    const { configSchema } = await import("../../src/config/schema.js");
    const secrets = JSON.parse(await readFile(path.join(ROOT, "postkit.secrets.example.json"), "utf8"));
    secrets.db.remotes.production.url = "postgres://h/prod";
    expect(configSchema.safeParse(secrets).success).toBe(true);
  });

  it.each([14, 18] as const)("its SQL loads into PostgreSQL %i, twice for the idempotent parts", async (major) => {
    const server = await startTestServer(major);
    try {
      const url = await server.createDatabase("shop");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { ddl, seeds } = await exampleScript();
        for (const sql of ddl) await client.query(sql);
        for (const sql of seeds) await client.query(sql);
        // infra and seeds run again on every apply and deploy
        for (const sql of await sqlFiles(path.join(ROOT, "db", "infra"))) await client.query(sql);
        for (const sql of seeds) await client.query(sql);
        const tables = await client.query<{ relname: string }>(
          "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v') ORDER BY 1",
        );
        expect(tables.rows.map((r) => r.relname)).toEqual([
          "customers",
          "order_items",
          "order_totals",
          "orders",
          "products",
        ]);
        const fks = await client.query(
          "SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
        );
        expect(fks.rowCount).toBe(3);
        const products = await client.query<{ n: string }>("SELECT count(*) AS n FROM products");
        expect(products.rows[0]!.n).toBe("3");
      } finally {
        await client.end();
      }
    } finally {
      await server.stop();
    }
  });
});
