/**
 * `-- postkit:renamed-from <old_name>` comments. At the end of a column's definition line it renames that column;
 * on the line directly above a CREATE statement it renames the object. The statement a comment belongs to is
 * found from the parse tree's positions, not by matching SQL text.
 */
import { byteToChar, type ScriptChunk } from "./script.js";

const HINT = /--\s*postkit:renamed-from\s+("(?:[^"]|"")+"|[^\s]+)/;

/** A hint as written: names may be unqualified until resolved against the desired database. */
export interface RawRenameHint {
  target: "object" | "column";
  kind: string;
  /** Schema written in the statement, if any. */
  schema?: string;
  /** search_path of the file, for unqualified names. */
  searchPath: string[];
  /** New name (of the object, or of the column). */
  name: string;
  /** For columns: the table. */
  table?: string;
  from: string;
  source: string;
}

export interface HintProblem {
  source: string;
  message: string;
}

const OBJECT_KINDS: Record<string, (node: Record<string, unknown>) => string | undefined> = {
  CreateStmt: () => "table",
  CreateEnumStmt: () => "type",
  CompositeTypeStmt: () => "type",
  CreateRangeStmt: () => "type",
  CreateDomainStmt: () => "type",
  CreateSeqStmt: () => "sequence",
  IndexStmt: () => "index",
  ViewStmt: () => "view",
  CreateTableAsStmt: (n) => (n.objtype === "OBJECT_MATVIEW" ? "materialized_view" : undefined),
  CreateSchemaStmt: () => "schema",
};

export function findRenameHints(chunks: ScriptChunk[]): { hints: RawRenameHint[]; problems: HintProblem[] } {
  const hints: RawRenameHint[] = [];
  const problems: HintProblem[] = [];
  for (const chunk of chunks) {
    if (!chunk.text.includes("postkit:renamed-from")) continue;
    const lines = chunk.text.split("\n");
    const lineStarts: number[] = [];
    let at = 0;
    for (const l of lines) {
      lineStarts.push(at);
      at += l.length + 1;
    }
    const lineOf = (offset: number) => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const toChar = byteToChar(chunk.text);
    lines.forEach((line, index) => {
      const m = HINT.exec(line);
      if (!m) return;
      const from = unquote(m[1]!);
      const source = `${chunk.file.display}:${index + 1}`;
      const searchPath = chunk.file.searchPath ?? ["public"];
      // A column definition on this line?
      for (const s of chunk.statements) {
        const create = s.node?.CreateStmt as CreateStmtNode | undefined;
        if (!create) continue;
        for (const el of create.tableElts ?? []) {
          const col = el.ColumnDef;
          if (!col || col.location === undefined || lineOf(toChar(col.location)) !== index) continue;
          hints.push({
            target: "column",
            kind: "column",
            schema: create.relation?.schemaname,
            table: create.relation?.relname,
            searchPath,
            name: col.colname,
            from,
            source,
          });
          return;
        }
      }
      // The statement that starts on the next line?
      const next = chunk.statements.find((s) => lineOf(s.start) === index + 1);
      const node = next?.node;
      const type = node && Object.keys(node)[0];
      const kind = type ? OBJECT_KINDS[type]?.(node[type] as Record<string, unknown>) : undefined;
      if (!node || !type || !kind) {
        problems.push({
          source,
          message: "postkit:renamed-from must end a column definition line or sit directly above a CREATE statement",
        });
        return;
      }
      const name = objectName(type, node[type] as Record<string, unknown>);
      if (!name) {
        problems.push({ source, message: "the statement below postkit:renamed-from names no object" });
        return;
      }
      hints.push({ target: "object", kind, schema: name.schema, searchPath, name: name.name, from, source });
    });
  }
  return { hints, problems };
}

interface CreateStmtNode {
  relation?: { schemaname?: string; relname: string };
  tableElts?: { ColumnDef?: { colname: string; location?: number } }[];
}

function objectName(type: string, n: Record<string, unknown>): { schema?: string; name: string } | undefined {
  const rel = (r: unknown) => {
    const x = r as { schemaname?: string; relname?: string } | undefined;
    return x?.relname ? { schema: x.schemaname, name: x.relname } : undefined;
  };
  const names = (list: unknown) => {
    const parts = ((list as { String?: { sval: string } }[]) ?? []).map((p) => p.String?.sval ?? "");
    return parts.length ? { schema: parts.length > 1 ? parts[0] : undefined, name: parts.at(-1)! } : undefined;
  };
  switch (type) {
    case "CreateStmt":
    case "CreateSeqStmt":
      return rel(n.relation ?? n.sequence);
    case "ViewStmt":
      return rel(n.view);
    case "CreateTableAsStmt":
      return rel((n.into as { rel?: unknown } | undefined)?.rel);
    case "IndexStmt":
      return n.idxname
        ? { schema: (n.relation as { schemaname?: string })?.schemaname, name: String(n.idxname) }
        : undefined;
    case "CompositeTypeStmt":
      return rel(n.typevar);
    case "CreateDomainStmt":
      return names(n.domainname);
    case "CreateSchemaStmt":
      return n.schemaname ? { name: String(n.schemaname) } : undefined;
    default:
      return names(n.typeName);
  }
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}
