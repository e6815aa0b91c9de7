/** Unit tests of the engine's pure helpers: expression round trip, identifier rewriting, statement splitting and
 * rename hints, the desired-file order, grouping, and the pgschema adapter's command line and sanitiser. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renameColumnRefs, renameQualified } from "../../../src/schema/compare/identifiers.js";
import { resolveDesiredFiles } from "../../../src/schema/desired/files.js";
import { findRenameHints } from "../../../src/schema/desired/hints.js";
import { ensureParser, splitStatements } from "../../../src/schema/desired/script.js";
import { roundTripExpressions } from "../../../src/schema/emit/expressions.js";
import { pgschemaPlanArgs, sanitisePgschemaPlan } from "../../../src/schema/engines/pgschema.js";
import { splitIndexDefinition } from "../../../src/schema/kinds/index/emit.js";
import { groupSteps } from "../../../src/schema/plan/build.js";
import type { Step } from "../../../src/schema/plan/types.js";

beforeAll(async () => {
  await ensureParser();
});

describe("roundTripExpressions", () => {
  it("writes a coerced ARRAY back as the IN list PostgreSQL parsed it from", () => {
    expect(
      roundTripExpressions(
        "CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b)'::character varying])::text[])))",
      ),
    ).toBe("CHECK ((status IN ('a'::character varying, 'b)'::character varying)))");
    expect(roundTripExpressions("((\"Kind\")::text <> ALL ((ARRAY['x'::character varying])::text[]))")).toBe(
      "(\"Kind\" NOT IN ('x'::character varying))",
    );
  });

  it("leaves expressions that already parse back alike untouched", () => {
    const same = [
      "CHECK ((c = ANY (ARRAY['ab'::bpchar, 'cd'::bpchar])))",
      "CHECK (((status)::text = ANY (ARRAY['ab'::text, 'cd'::text])))",
      "(amount > (0)::numeric)",
      "(x = ANY ((ARRAY[1, 2])::bigint[]))",
    ];
    for (const s of same) expect(roundTripExpressions(s)).toBe(s);
  });
});

describe("identifier rewriting for renames", () => {
  it("renames column references, not functions, types, qualified names or string literals", () => {
    expect(renameColumnRefs("CHECK ((mail ~~ '%mail%'::text) AND (lower(mail) <> mail.x))", "mail", "email")).toBe(
      "CHECK ((email ~~ '%mail%'::text) AND (lower(email) <> mail.x))",
    );
    expect(renameColumnRefs("(mail(x) > 0) AND (y)::mail", "mail", "email")).toBe("(mail(x) > 0) AND (y)::mail");
    expect(renameColumnRefs('("Mixed Case" IS NOT NULL)', "Mixed Case", "order")).toBe('("order" IS NOT NULL)');
  });

  it("renames a qualified name, also inside a regclass literal", () => {
    expect(
      renameQualified("nextval('public.users_id_seq'::regclass)", "public", "users_id_seq", "accounts_id_seq"),
    ).toBe("nextval('public.accounts_id_seq'::regclass)");
    expect(renameQualified("REFERENCES public.users(id)", "public", "users", "accounts")).toBe(
      "REFERENCES public.accounts(id)",
    );
    expect(renameQualified("REFERENCES app.users(id)", "public", "users", "accounts")).toBe("REFERENCES app.users(id)");
  });

  it("splits an index definition around its name, quoted or not", () => {
    expect(splitIndexDefinition('CREATE UNIQUE INDEX "a ""b"" ON" ON public.t USING btree (x)')).toEqual({
      head: "CREATE UNIQUE INDEX ",
      name: '"a ""b"" ON"',
      tail: " ON public.t USING btree (x)",
    });
  });
});

describe("statements and rename hints", () => {
  it("splits with PostgreSQL's parser, keeping character offsets through multi-byte text", () => {
    const text = "SELECT 'é;';\nCREATE TABLE \"ü\" (x int);  -- done\n";
    const statements = splitStatements(text);
    expect(statements.map((s) => s.sql)).toEqual(["SELECT 'é;'", 'CREATE TABLE "ü" (x int)']);
    expect(text.slice(statements[1]!.start, statements[1]!.start + 6)).toBe("CREATE");
  });

  it("ties a hint to the column on its line, or to the CREATE statement below it", () => {
    const text = `-- postkit:renamed-from people
CREATE TABLE app.persons (
    id int,
    full_name text, -- postkit:renamed-from name
    "Email" text -- postkit:renamed-from "E-mail"
);
-- postkit:renamed-from nowhere

SELECT 1;
`;
    const file = { path: "/x/t.sql", display: "t.sql", searchPath: ["app", "public"] };
    const { hints, problems } = findRenameHints([{ file, text, statements: splitStatements(text) }]);
    expect(hints).toEqual([
      {
        target: "object",
        kind: "table",
        schema: "app",
        searchPath: ["app", "public"],
        name: "persons",
        from: "people",
        source: "t.sql:1",
      },
      {
        target: "column",
        kind: "column",
        schema: "app",
        table: "persons",
        searchPath: ["app", "public"],
        name: "full_name",
        from: "name",
        source: "t.sql:4",
      },
      {
        target: "column",
        kind: "column",
        schema: "app",
        table: "persons",
        searchPath: ["app", "public"],
        name: "Email",
        from: "E-mail",
        source: "t.sql:5",
      },
    ]);
    expect(problems).toEqual([
      { source: "t.sql:7", message: expect.stringContaining("must end a column definition line") },
    ]);
  });
});

describe("desired files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "postkit-files-"));
    const files: Record<string, string> = {
      "layout/public/tables/002_b.sql": "",
      "layout/public/tables/001_a.sql": "",
      "layout/public/types/enums.sql": "",
      "layout/public/seeds/data.sql": "",
      "layout/public/zz_other.sql": "",
      "layout/public/indexes/i.sql": "",
      "layout/app/functions/f.sql": "",
      "plain/b.sql": "",
      "plain/a.sql": "",
      "plain/sub/ignored.sql": "",
    };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a session layout in section order, seeds left out, each schema on its own search_path", async () => {
    const files = await resolveDesiredFiles("layout", dir, ["public", "app"]);
    expect(files.map((f) => f.display)).toEqual([
      "layout/public/types/enums.sql",
      "layout/public/tables/001_a.sql",
      "layout/public/tables/002_b.sql",
      "layout/public/indexes/i.sql",
      "layout/public/zz_other.sql",
      "layout/app/functions/f.sql",
    ]);
    expect(files[0]?.searchPath).toEqual(["public"]);
    expect(files.at(-1)?.searchPath).toEqual(["app", "public"]);
  });

  it("reads plain .sql files of a directory by name, and fails clearly on a missing path", async () => {
    expect((await resolveDesiredFiles("plain", dir)).map((f) => f.display)).toEqual(["plain/a.sql", "plain/b.sql"]);
    await expect(resolveDesiredFiles("missing.sql", dir)).rejects.toMatchObject({
      code: "FILE_NOT_FOUND",
      exitCode: 2,
    });
  });
});

describe("grouping", () => {
  const step = (sql: string, transaction: boolean): Step => ({
    sql,
    type: "table",
    operation: "create",
    path: "p",
    transaction,
    lock: "none",
    hazards: [],
  });
  it("puts consecutive transactional steps in one group and every other step in its own", () => {
    const groups = groupSteps([step("a", true), step("b", true), step("c", false), step("d", false), step("e", true)]);
    expect(groups.map((g) => [g.transaction, g.steps.map((s) => s.sql).join("")])).toEqual([
      [true, "ab"],
      [false, "c"],
      [false, "d"],
      [true, "e"],
    ]);
  });
});

describe("pgschema adapter", () => {
  it("uses PostKit's command line", () => {
    expect(pgschemaPlanArgs("app", "/p/.postkit/db/schema_app.sql", "/p/.postkit/db/plan_app.sql")).toEqual([
      "plan",
      "--schema",
      "app",
      "--file",
      "/p/.postkit/db/schema_app.sql",
      "--output-sql",
      "/p/.postkit/db/plan_app.sql",
    ]);
  });

  it("drops pgschema:wait blocks and keeps CONCURRENTLY", () => {
    const text = `CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);

-- pgschema:wait
SELECT COALESCE(i.indisvalid, false) as done
FROM pg_class c
WHERE c.relname = 'i';

DROP INDEX CONCURRENTLY IF EXISTS j;
-- pgschema:wait
SELECT 1
-- a comment
ALTER TABLE t ADD COLUMN y int;`;
    expect(sanitisePgschemaPlan(text)).toBe(`CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);

DROP INDEX CONCURRENTLY IF EXISTS j;
-- a comment
ALTER TABLE t ADD COLUMN y int;`);
  });
});
