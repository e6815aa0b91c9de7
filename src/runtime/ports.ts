/** Choosing a port for a local server: the first free one of postkit's range on 127.0.0.1. */
import { PostkitError } from "../errors.js";
import { portIsFree } from "../util/ports.js";
import { PORT_RANGE } from "./server-settings.js";

/** The first port of the range that is free and not in `avoid`; a clear error when there is none. */
export async function choosePort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
  for (let port = PORT_RANGE.from; port <= PORT_RANGE.to; port++) {
    if (avoid.has(port)) continue;
    if (await portIsFree(port)) return port;
  }
  throw new PostkitError(
    "PORT_RANGE_EXHAUSTED",
    `No free port between ${PORT_RANGE.from} and ${PORT_RANGE.to} on 127.0.0.1 for the local database.`,
    {
      hint:
        "Leftover clones may hold them: list postkit's containers with " +
        '"docker ps --filter label=dev.postkit.managed=true" and run "postkit db abort" in their projects, ' +
        "or stop whatever else listens on those ports.",
    },
  );
}
