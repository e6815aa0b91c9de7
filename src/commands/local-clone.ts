/** Reaching the session's clone (session.local.url), with PostKit's message and hint when it is gone. */
import { messageOf, PostkitError } from "../errors.js";
import { withClient } from "../pg/client.js";
import type { Session } from "../session/schema.js";

export async function checkLocalClone(session: Session): Promise<{ tables: number }> {
  try {
    return await withClient(
      session.local.url,
      async (client) => {
        const r = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
        );
        return { tables: r.rows[0]?.n ?? 0 };
      },
      { label: "local clone" },
    );
  } catch (error) {
    throw new PostkitError("LOCAL_CLONE_UNREACHABLE", `Could not connect to the local database: ${messageOf(error)}`, {
      hint: 'The local clone may have been removed. Run "postkit db abort", then "postkit db start" again.',
      cause: error,
    });
  }
}
