import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadPlan } from "../../../src/migrations/plan-input.js";

let root: string;
let state: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "postkit-plan-input-"));
  state = path.join(root, ".postkit", "db");
  await mkdir(state, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const step = (sql: string, extra: Record<string, unknown> = {}) => ({
  sql,
  type: "table",
  operation: "create",
  path: "public.t",
  transaction: true,
  lock: "none",
  hazards: [],
  ...extra,
});

describe("loadPlan from plan.json", () => {
  it("merges consecutive transactional groups and gives each non-transactional group its own unit", async () => {
    const plan = {
      version: 1,
      groups: [
        { transaction: true, steps: [step("CREATE TABLE public.t (a int);")] },
        {
          transaction: true,
          steps: [
            step("ALTER TABLE public.t ADD COLUMN b int;", {
              operation: "create",
              type: "table.column",
              path: "public.t.b",
            }),
          ],
        },
        {
          transaction: false,
          steps: [step("CREATE INDEX CONCURRENTLY i ON public.t (a);", { hazards: ["full_scan"] })],
        },
        { transaction: false, steps: [step("CREATE INDEX CONCURRENTLY j ON public.t (b);")] },
        { transaction: true, steps: [] },
        { transaction: true, steps: [step("ALTER TABLE public.t VALIDATE CONSTRAINT c;")] },
      ],
      objects: [
        { type: "table", path: "public.t", operation: "create" },
        { type: "table.column", path: "public.t.b", operation: "create" },
        { type: "table.index", path: "public.t.i", operation: "create" },
      ],
    };
    await writeFile(path.join(state, "plan.json"), JSON.stringify(plan));
    const loaded = await loadPlan(state, root, {}, ["public"]);
    expect(loaded?.source).toBe("plan.json");
    expect(loaded?.units.map((u) => u.transaction)).toEqual([true, false, false, true]);
    expect(loaded?.units[0]?.sql).toBe(
      "-- create table public.t\nCREATE TABLE public.t (a int);\n\n-- create table.column public.t.b\nALTER TABLE public.t ADD COLUMN b int;",
    );
    expect(loaded?.units[1]?.sql).toContain("[full_scan]");
    expect(loaded?.suggestedDescription).toBe("create_table_t_add_column_t_b_and_1_more");
  });

  it("rejects a plan.json that is not a plan", async () => {
    await writeFile(path.join(state, "plan.json"), JSON.stringify({ groups: [{ steps: [] }] }));
    await expect(loadPlan(state, root, {}, ["public"])).rejects.toThrow(".postkit/db/plan.json: groups.0.transaction");
  });
});

describe("loadPlan from plan_<schema>.sql files (PostKit / pgschema sessions)", () => {
  it("prefixes each schema's block with its search_path and cuts around non-transactional statements", async () => {
    await writeFile(
      path.join(state, "plan_public.sql"),
      "CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY a_idx ON a (id);\nALTER TABLE a ADD COLUMN x int;\n",
    );
    await writeFile(path.join(state, "plan_app.sql"), "-- No changes\n");
    await writeFile(path.join(state, "plan_audit.sql"), "CREATE TABLE log (id int);\n");
    const loaded = await loadPlan(
      state,
      root,
      {
        public: ".postkit/db/plan_public.sql",
        app: ".postkit/db/plan_app.sql",
        audit: ".postkit/db/plan_audit.sql",
        gone: null,
      },
      ["public", "app", "audit"],
    );
    expect(loaded?.source).toBe("plan files");
    expect(loaded?.files).toEqual([".postkit/db/plan_public.sql", ".postkit/db/plan_audit.sql"]);
    expect(loaded?.units).toEqual([
      { transaction: true, sql: 'SET search_path TO "public";\n\nCREATE TABLE a (id int);' },
      { transaction: false, sql: 'SET search_path TO "public";\n\nCREATE INDEX CONCURRENTLY a_idx ON a (id);' },
      {
        transaction: true,
        sql: 'SET search_path TO "public";\n\nALTER TABLE a ADD COLUMN x int;\n\nSET search_path TO "audit";\n\nCREATE TABLE log (id int);',
      },
    ]);
  });

  it("is undefined when no plan file has changes", async () => {
    await writeFile(path.join(state, "plan_public.sql"), "  \n");
    expect(await loadPlan(state, root, { public: ".postkit/db/plan_public.sql" }, ["public"])).toBeUndefined();
    expect(await loadPlan(state, root, {}, ["public"])).toBeUndefined();
  });
});
