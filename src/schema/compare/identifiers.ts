/**
 * Identifier substitution in deparsed SQL (pg_get_*def output), for declared renames: the current side's
 * definitions still name the old table or column, the desired side's the new one. Works on tokens: string
 * literals are kept (except `'name'::regclass`), function names (followed by "(") and type names (after "::")
 * are left alone.
 */
import { quoteIdent } from "../../pg/client.js";

interface Token {
  text: string;
  /** Identifier value (unquoted), for identifier tokens. */
  ident?: string;
  literal?: boolean;
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      out.push({ text: sql.slice(i, j + 1), literal: true });
      i = j + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '"' && sql[j + 1] === '"') j += 2;
        else if (sql[j] === '"') break;
        else j++;
      }
      const text = sql.slice(i, j + 1);
      out.push({ text, ident: text.slice(1, -1).replace(/""/g, '"') });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      const text = sql.slice(i, j);
      out.push({ text, ident: text });
      i = j;
    } else {
      out.push({ text: ch });
      i++;
    }
  }
  return out;
}

/** Replaces unqualified column references `from` -> `to` (not function names, types or qualified names). */
export function renameColumnRefs(sql: string, from: string, to: string): string {
  const tokens = tokenize(sql);
  return tokens
    .map((t, k) => {
      if (t.ident !== from) return t.text;
      const prev = tokens[k - 1]?.text;
      const prev2 = tokens[k - 2]?.text;
      const next = tokens.slice(k + 1).find((x) => x.text.trim() !== "")?.text;
      if (prev === "." || next === "." || next === "(") return t.text;
      if (prev === ":" && prev2 === ":") return t.text;
      return quoteIdent(to);
    })
    .join("");
}

/** Replaces the qualified name `schema.from` -> `schema.to`, including inside `'schema.from'::regclass`. */
export function renameQualified(sql: string, schema: string, from: string, to: string): string {
  const tokens = tokenize(sql);
  const out: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.ident === schema && tokens[k + 1]?.text === "." && tokens[k + 2]?.ident === from) {
      out.push(t.text, ".", quoteIdent(to));
      k += 2;
    } else if (t.literal) {
      const inner = t.text.slice(1, -1).replace(/''/g, "'");
      const qualifiedFrom = `${quoteIdent(schema)}.${quoteIdent(from)}`;
      out.push(inner === qualifiedFrom ? `'${`${quoteIdent(schema)}.${quoteIdent(to)}`.replace(/'/g, "''")}'` : t.text);
    } else {
      out.push(t.text);
    }
  }
  return out.join("");
}
