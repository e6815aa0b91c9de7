/**
 * Finding the project: the nearest folder, from the working directory upwards, that holds postkit.config.json, so
 * commands work from any subfolder. cosmiconfig does the walk; it is locked down to that one file name: its
 * loaders never run (the loader reads the file itself, with file:line:col errors), and what its "global" strategy
 * finds in the user's config folder (~/.config/postkit/config*) is not a project and is ignored.
 */
import path from "node:path";
import { cosmiconfig } from "cosmiconfig";

export const CONFIG_FILE = "postkit.config.json";
export const SECRETS_FILE = "postkit.secrets.json";
export const SECRETS_EXAMPLE_FILE = "postkit.secrets.example.json";

// A placeholder result: cosmiconfig treats null as "not found" and reads nothing itself.
const ignore = () => ({});

/** The folder that holds postkit.config.json, searching upwards from cwd; undefined when there is none. */
export async function findProjectRoot(cwd: string): Promise<string | undefined> {
  const start = path.resolve(cwd);
  const explorer = cosmiconfig("postkit", {
    searchPlaces: [CONFIG_FILE],
    searchStrategy: "global",
    stopDir: path.parse(start).root,
    cache: false,
    loaders: {
      ".json": ignore,
      ".yaml": ignore,
      ".yml": ignore,
      ".js": ignore,
      ".mjs": ignore,
      ".cjs": ignore,
      ".ts": ignore,
      noExt: ignore,
    },
    // An empty file must still count as "found" (the loader then reports it as invalid JSON).
    ignoreEmptySearchPlaces: false,
  });
  const found = await explorer.search(start);
  if (!found || path.basename(found.filepath) !== CONFIG_FILE) return undefined;
  const dir = path.dirname(found.filepath);
  // Only a folder on the way up from cwd is a project (not the user's global config folder).
  const relative = path.relative(dir, start);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative)) ? dir : undefined;
}
