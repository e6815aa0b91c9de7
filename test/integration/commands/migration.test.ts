/** `db migration`: the template file in the session folder, versions after everything that exists, errors. */
import { describe, expect, it } from "vitest";
import { parseMigrationFile } from "../../../src/migrations/migration-file.js";
import { makeProject, q, useServer } from "../migrations/project-fixture.js";

const env = useServer(14);

describe("db migration", () => {
  it("creates the template in the session folder and marks the session planned", async () => {
    const clone = await env.server().createDatabase("migration_clone_1");
    const p = await makeProject({ remoteUrl: env.server().url, localUrl: clone, schemas: ["app", "public"] });
    env.track(p);
    const { exitCode, body } = await p.json<{ name: string; path: string; version: string }>([
      "db",
      "migration",
      "Backfill Emails!",
    ]);
    expect(exitCode).toBe(0);
    expect(body.name).toBe(`${body.version}_backfill_emails.sql`);
    expect(body.path).toBe(`.postkit/db/session/${body.name}`);
    const text = await p.read(body.path);
    expect(text).toContain('-- Search path: app\nSET search_path TO "app";');
    const parsed = parseMigrationFile(text, body.path);
    expect(parsed.up.transaction).toBe(true);
    expect((await p.session()).pendingChanges).toMatchObject({ planned: true });
    // A second one made in the same second still sorts after the first.
    const second = await p.json<{ version: string }>(["db", "migration", "second"]);
    expect(Number(second.body.version)).toBeGreaterThan(Number(body.version));
    // The template runs as is (only SET and comments).
    expect(await q(clone, `${parsed.up.sql}\nSELECT current_setting('search_path') AS p`)).toEqual([{ p: "app" }]);
  });

  it("needs a session, a name without a terminal, and a reachable clone", async () => {
    const p = await makeProject({ remoteUrl: env.server().url });
    env.track(p);
    const none = await p.json<{ error: { code: string } }>(["db", "migration", "x"]);
    expect(none.body.error.code).toBe("NO_SESSION");
    const gone = await makeProject({ remoteUrl: env.server().url, localUrl: env.server().urlFor("no_such_db") });
    env.track(gone);
    const noName = await gone.json<{ error: { code: string } }>(["db", "migration"]);
    expect(noName.exitCode).toBe(2);
    expect(noName.body.error.code).toBe("INPUT_REQUIRED");
    const unreachable = await gone.json<{ error: { code: string; hint: string } }>(["db", "migration", "x"]);
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.body.error.code).toBe("LOCAL_CLONE_UNREACHABLE");
    expect(unreachable.body.error.hint).toContain("postkit db start");
  });
});
