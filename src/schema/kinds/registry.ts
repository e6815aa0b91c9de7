/**
 * The object kinds the engine knows, in introspection order (a kind's link hook may read objects of the kinds
 * before it). Adding a kind: create `src/schema/kinds/<kind>/` and add one line here (docs/design/plan-engine.md,
 * "How to add an object kind").
 */
import { aggregateKind } from "./aggregate/index.js";
import { columnKind } from "./column/index.js";
import { commentKind } from "./comment/index.js";
import { constraintKind } from "./constraint/index.js";
import { defaultPrivilegeKind } from "./default-privilege/index.js";
import { extensionKind } from "./extension/index.js";
import { functionKind } from "./function/index.js";
import { indexKind } from "./index/index.js";
import type { AnyKindHandler } from "./kind.js";
import { materializedViewKind } from "./materialized-view/index.js";
import { ownerKind } from "./owner/index.js";
import { policyKind } from "./policy/index.js";
import { privilegeKind } from "./privilege/index.js";
import { rlsKind } from "./rls/index.js";
import { schemaKind } from "./schema/index.js";
import { sequenceKind } from "./sequence/index.js";
import { tableKind } from "./table/index.js";
import { triggerKind } from "./trigger/index.js";
import { typeKind } from "./type/index.js";
import { viewKind } from "./view/index.js";

export const KINDS: readonly AnyKindHandler[] = [
  schemaKind,
  extensionKind,
  typeKind,
  sequenceKind,
  tableKind,
  columnKind,
  constraintKind,
  indexKind,
  functionKind,
  aggregateKind,
  viewKind,
  materializedViewKind,
  rlsKind,
  policyKind,
  triggerKind,
  // Attribute kinds last: their link hooks read every other kind's objects.
  defaultPrivilegeKind,
  commentKind,
  ownerKind,
  privilegeKind,
];

export function kindHandler(kind: string): AnyKindHandler {
  const handler = KINDS.find((k) => k.kind === kind);
  if (!handler) throw new Error(`No handler registered for object kind "${kind}"`);
  return handler;
}
