/**
 * Making deparsed expressions parse back into the same tree. PostgreSQL prints `col IN ('a', 'b')` on a varchar
 * column as `(col)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])`, and reading
 * that text back casts each element instead of the array: a different expression, printed differently, so a plan
 * that wrote it would never converge. Written back as `col IN (...)` it parses into the original tree. This is
 * the one such pattern met in practice (pgschema issue #473); everything else deparses into a fixed point.
 */

/** Index of the parenthesis matching the one at `open` (which must be "(" or "["), skipping quoted text. */
function matching(sql: string, open: number): number {
  const close = sql[open] === "[" ? "]" : ")";
  const openCh = sql[open];
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const q = ch;
      i++;
      while (i < sql.length && !(sql[i] === q && sql[i + 1] !== q)) i += sql[i] === q ? 2 : 1;
      continue;
    }
    if (ch === openCh) depth++;
    else if (ch === close && --depth === 0) return i;
  }
  return -1;
}

/** Index of the "(" matching the ")" at `close`, scanning backwards (quotes inside are balanced in deparsed text). */
function matchingBack(sql: string, close: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = close; i >= 0; i--) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ")") depth++;
    else if (ch === "(" && --depth === 0) return i;
  }
  return -1;
}

const PATTERN = / (=|<>) (ANY|ALL) \(\(ARRAY\[/g;

export function roundTripExpressions(sql: string): string {
  let out = sql;
  for (let guard = 0; guard < 100; guard++) {
    PATTERN.lastIndex = 0;
    let m: RegExpExecArray | null;
    let changed = false;
    // biome-ignore lint/suspicious/noAssignInExpressions: scanning matches
    while ((m = PATTERN.exec(out))) {
      const [, op, quantifier] = m;
      if ((op === "=") !== (quantifier === "ANY")) continue;
      const arrayOpen = m.index + m[0].length - 1;
      const arrayClose = matching(out, arrayOpen);
      if (arrayClose < 0 || out[arrayClose + 1] !== ")" || out.slice(arrayClose + 2, arrayClose + 4) !== "::") continue;
      const typeStart = arrayClose + 4;
      const typeEnd = out.indexOf("[])", typeStart);
      if (typeEnd < 0) continue;
      const elemType = out.slice(typeStart, typeEnd);
      const lhsEnd = m.index;
      const cast = `)::${elemType}`;
      if (out.slice(lhsEnd - cast.length, lhsEnd) !== cast) continue;
      const lhsOpen = matchingBack(out, lhsEnd - cast.length);
      if (lhsOpen < 0) continue;
      const lhs = out.slice(lhsOpen + 1, lhsEnd - cast.length);
      const list = out.slice(arrayOpen + 1, arrayClose);
      const replacement = `${lhs} ${op === "=" ? "IN" : "NOT IN"} (${list})`;
      out = out.slice(0, lhsOpen) + replacement + out.slice(typeEnd + 3);
      changed = true;
      break;
    }
    if (!changed) break;
  }
  return out;
}
