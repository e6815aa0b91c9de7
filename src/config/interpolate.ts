/**
 * `${VAR}` and `${VAR:-default}` in every string of the config and secrets files, so CI can keep secrets in its
 * environment. `$${` stands for a literal `${`. The shell's rules: `${VAR:-default}` uses the default when VAR is
 * unset or empty; `${VAR}` is VAR's value, empty included. A variable that is unset (and has no default) is an
 * error naming the JSON path, not an empty string that would fail later and obscurely.
 */

export interface MissingVariable {
  path: string;
  variable: string;
}

const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateString(text: string, env: NodeJS.ProcessEnv, onMissing: (variable: string) => void): string {
  return text.replace(PATTERN, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === "$${") return "${";
    const value = env[name!];
    if (fallback !== undefined) return value ? value : fallback;
    if (value !== undefined) return value;
    onMissing(name!);
    return "";
  });
}

/** Interpolates every string in a JSON value; returns the new value and the variables that were missing. */
export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: string[] = [],
): { value: unknown; missing: MissingVariable[] } {
  const missing: MissingVariable[] = [];
  const walk = (node: unknown, at: string[]): unknown => {
    if (typeof node === "string") {
      return interpolateString(node, env, (variable) => missing.push({ path: at.join("."), variable }));
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, String(i)]));
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...at, k])]));
    }
    return node;
  };
  return { value: walk(value, path), missing };
}
