/**
 * db abort (reference §8.8): removes exactly what the session created — its container, its cluster, or the
 * database postkit created on an external server — then the session's files. It works after a crash (container or
 * cluster already gone) and with a session file that no longer validates, so a broken session can always be
 * cleared.
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { ResolvedConfig } from "../config/load.js";
import type { Context } from "../context.js";
import { CancelledError, messageOf } from "../errors.js";
import { dropCloneDatabase } from "../runtime/local-database.js";
import { createRuntime } from "../runtime/select.js";
import type { RuntimeHandle } from "../runtime/types.js";
import { withSessionLock } from "../session/lock.js";
import { runtimeHandleSchema } from "../session/schema.js";
import { deleteSession, sessionFile } from "../session/store.js";
import { maskUrl } from "../util/redact.js";
import { loadProjectConfig } from "./project.js";
import { removeGeneratedSchemas, removePlanFiles } from "./session-artifacts.js";

export interface AbortOptions {
  force?: boolean;
}

export interface AbortResult {
  aborted: boolean;
  dryRun: boolean;
  /** What was removed. */
  cleaned: string[];
  /** What was already gone. */
  missing: string[];
  /** What could not be removed (with why). */
  warnings: string[];
}

/** The parts of session.json abort needs, read leniently: a half-valid file must still be cleaned up. */
const lenientSession = z.object({
  id: z.string().optional(),
  startedAt: z.string().optional(),
  clonedAt: z.string().optional(),
  remoteName: z.string().optional(),
  local: z
    .object({ database: z.string().optional(), runtime: z.string().optional(), handle: z.unknown().optional() })
    .optional(),
  pendingChanges: z.object({ planned: z.boolean().optional(), applied: z.boolean().optional() }).optional(),
});
type LenientSession = z.infer<typeof lenientSession>;

async function readLenient(stateDir: string): Promise<{ session: LenientSession; problem?: string } | undefined> {
  const file = sessionFile(stateDir);
  if (!existsSync(file)) return undefined;
  try {
    const raw = JSON.parse(await readFile(file, "utf8")) as { active?: unknown };
    if (raw && raw.active === false) return undefined;
    const parsed = lenientSession.safeParse(raw);
    return parsed.success ? { session: parsed.data } : { session: {}, problem: "unrecognised content" };
  } catch (error) {
    return { session: {}, problem: messageOf(error) };
  }
}

export async function abort(ctx: Context, options: AbortOptions = {}): Promise<AbortResult> {
  const config = await loadProjectConfig(ctx);
  const found = await readLenient(config.stateDir);
  const result: AbortResult = { aborted: false, dryRun: ctx.flags.dryRun, cleaned: [], missing: [], warnings: [] };
  const r = ctx.reporter;
  if (!found) {
    r.info("No active migration session to abort.");
    return result;
  }
  const { session, problem } = found;
  r.heading("Abort Migration Session");
  if (problem) r.warn(`The session file is unreadable (${problem}); cleaning up what can be found.`);
  r.line(`  Started:          ${session.startedAt ?? "-"}`);
  r.line(`  Remote:           ${session.remoteName ?? "-"}`);
  r.line(`  Cloned at:        ${session.clonedAt ?? "-"}`);
  r.line(`  Plan generated:   ${session.pendingChanges?.planned ? "Yes" : "No"}`);
  r.line(`  Applied to local: ${session.pendingChanges?.applied ? "Yes" : "No"}`);
  r.blank();
  if (!ctx.flags.dryRun) {
    const yes = await ctx.prompter.confirm("Are you sure you want to abort this session? All changes will be lost.", {
      default: false,
      force: options.force,
    });
    if (!yes) throw new CancelledError("Abort cancelled.");
  }
  return withSessionLock(config.stateDir, "db abort", async () => {
    await cleanUp(ctx, config, session, result);
    if (ctx.flags.dryRun) {
      r.info("Dry run - nothing was removed.");
      return result;
    }
    result.aborted = true;
    r.success("Migration session aborted.");
    if (result.cleaned.length) {
      r.info("Cleaned up:");
      for (const c of result.cleaned) r.line(`  - ${c}`);
    }
    r.info("Preserved: Committed migrations (.postkit/db/migrations/)");
    r.blank();
    r.info('Next: run "postkit db start" to begin a new session.');
    return result;
  });
}

async function cleanUp(
  ctx: Context,
  config: ResolvedConfig,
  session: LenientSession,
  result: AbortResult,
): Promise<void> {
  const r = ctx.reporter;
  // Each step is announced; a dry run names what it would remove and removes nothing.
  const total = 5;
  let n = 0;
  const step = async (title: string, what: string, remove: () => Promise<void>) => {
    r.step(++n, total, title);
    if (ctx.flags.dryRun) r.info(`Dry run - skipping ${what} removal`);
    else await remove();
  };
  await step("Removing plan files...", "plan file", async () => {
    result.cleaned.push(...(await removePlanFiles(config.stateDir)).map((f) => `.postkit/db/${f}`));
  });
  await step("Removing generated schema files...", "generated schema", async () => {
    result.cleaned.push(...(await removeGeneratedSchemas(config.stateDir)).map((f) => `.postkit/db/${f}`));
  });
  await step("Removing the local clone...", "local clone", () => removeLocalClone(ctx, config, session, result));
  const sessionDir = path.join(config.stateDir, "session");
  await step("Removing session migrations...", ".postkit/db/session/", async () => {
    if (!existsSync(sessionDir)) return;
    await rm(sessionDir, { recursive: true, force: true });
    result.cleaned.push(".postkit/db/session/");
  });
  await step("Removing session state...", "session.json", async () => {
    await deleteSession(config.stateDir);
    result.cleaned.push(".postkit/db/session.json");
  });
}

async function removeLocalClone(
  ctx: Context,
  config: ResolvedConfig,
  session: LenientSession,
  result: AbortResult,
): Promise<void> {
  const r = ctx.reporter;
  const parsed = runtimeHandleSchema.safeParse(session.local?.handle);
  if (!parsed.success) {
    const message =
      "The session does not say which local server it used; nothing was stopped. Look for leftovers with " +
      '"docker ps -a --filter label=dev.postkit.managed=true" or in .postkit/db/runtime/.';
    r.warn(message);
    result.warnings.push(message);
    return;
  }
  const handle = parsed.data as RuntimeHandle;
  try {
    if (handle.runtime === "external") {
      await dropExternal(ctx, config, session, result);
      return;
    }
    const runtime = createRuntime(handle.runtime, config, ctx.env);
    const report = await runtime.cleanup(handle);
    for (const what of report.removed) {
      r.success(`Removed ${what}`);
      result.cleaned.push(what);
    }
    for (const what of report.missing) {
      r.info(`${what} was already gone`);
      result.missing.push(what);
    }
  } catch (error) {
    let what = "the local server";
    let manual = "";
    if (handle.runtime === "docker") {
      what = `container ${handle.containerName}`;
      manual = `docker rm -f -v ${handle.containerName}`;
    } else if (handle.runtime === "embedded") {
      what = `cluster ${handle.baseDir}`;
      manual = `pg_ctl -D ${handle.dataDir} stop -m immediate; rm -rf ${handle.baseDir}`;
    }
    const message = `Could not remove ${what}: ${messageOf(error)}. Remove it by hand: ${manual}`;
    r.warn(message);
    result.warnings.push(message);
  }
}

async function dropExternal(ctx: Context, config: ResolvedConfig, session: LenientSession, result: AbortResult) {
  const r = ctx.reporter;
  const database = session.local?.database;
  const localDbUrl = config.config.db.localDbUrl;
  if (!database || !session.id || !localDbUrl) {
    const message = `Could not drop the local database ${database ?? ""}: db.localDbUrl is no longer set.`;
    r.warn(message);
    result.warnings.push(message);
    return;
  }
  ctx.redactor.addUrl(localDbUrl);
  try {
    const runtime = createRuntime("external", config, ctx.env);
    const server = await runtime.reattach({ runtime: "external", adminUrl: maskUrl(localDbUrl) });
    if (!server) throw new Error(`the server at ${maskUrl(localDbUrl)} does not answer`);
    const outcome = await dropCloneDatabase(server, database, session.id, config.config.db.localDbDisposable);
    if (outcome === "dropped") {
      r.success(`Dropped database "${database}"`);
      result.cleaned.push(`database ${database}`);
    } else if (outcome === "missing") {
      r.info(`Database "${database}" was already gone`);
      result.missing.push(`database ${database}`);
    } else {
      const message = `Database "${database}" does not carry this session's mark; postkit did not create it and left it alone.`;
      r.warn(message);
      result.warnings.push(message);
    }
  } catch (error) {
    const message = `Could not drop local database "${database}" (may already be removed): ${messageOf(error)}`;
    r.warn(message);
    result.warnings.push(message);
  }
}
