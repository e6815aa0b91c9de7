/** A column's definition as CREATE TABLE and ADD COLUMN write it. */
import { roundTripExpressions } from "../../emit/expressions.js";
import { ident, qname } from "../../emit/sql.js";
import { optionClauses } from "../sequence/options.js";
import type { ColumnObject, IdentitySpec } from "./types.js";

export function columnDefinition(c: ColumnObject): string {
  const parts = [ident(c.name), c.type];
  if (c.compression) parts.push(`COMPRESSION ${c.compression}`);
  if (c.collation) parts.push(`COLLATE ${c.collation}`);
  if (c.generated)
    parts.push(
      `GENERATED ALWAYS AS (${roundTripExpressions(c.generated.expression)}) ${c.generated.stored ? "STORED" : "VIRTUAL"}`,
    );
  if (c.identity) parts.push(identityClause(c.identity, c));
  if (c.default !== null) parts.push(`DEFAULT ${roundTripExpressions(c.default)}`);
  if (c.notNull && !c.identity) parts.push("NOT NULL");
  return parts.join(" ");
}

/** The identity sequence keeps PostgreSQL's default name unless it has another one. */
export function identityClause(identity: IdentitySpec, c: ColumnObject): string {
  const options = optionClauses(identity.sequence, undefined, identity.sequence.dataType !== c.type);
  const s = identity.sequence;
  if (s.name !== defaultSequenceName(c) || s.schema !== c.schema)
    options.unshift(`SEQUENCE NAME ${qname(s.schema, s.name)}`);
  return `GENERATED ${identity.always ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${options.length ? ` (${options.join(" ")})` : ""}`;
}

/** `<table>_<column>_seq`, as PostgreSQL names identity and serial sequences (before any truncation or suffix). */
export function defaultSequenceName(c: Pick<ColumnObject, "tableName" | "name">): string {
  return `${c.tableName}_${c.name}_seq`;
}
