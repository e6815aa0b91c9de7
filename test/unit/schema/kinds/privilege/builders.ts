/** Hand-built IR objects of the comment, owner, privilege and default privilege kinds (as introspection makes them). */
import type { IrObjectBase } from "../../../../../src/schema/ir/types.js";
import type { ObjectName } from "../../../../../src/schema/kinds/comment/target.js";
import type { CommentObject } from "../../../../../src/schema/kinds/comment/types.js";
import type {
  DefaultAclObjectType,
  DefaultPrivilegeObject,
} from "../../../../../src/schema/kinds/default-privilege/types.js";
import type { OwnerObject } from "../../../../../src/schema/kinds/owner/types.js";
import type { AclEntry, AclType } from "../../../../../src/schema/kinds/privilege/acl.js";
import type { PrivilegeObject } from "../../../../../src/schema/kinds/privilege/types.js";

type Target = Pick<IrObjectBase, "id" | "path" | "schema" | "name">;

/** How SQL names a target: pg_identify_object's type and identity. */
export function named(type: string, name: string, signature: string | null = null): ObjectName {
  return { type, name, signature };
}

function base<K extends string>(kind: K, t: Target, object: ObjectName, suffix = "") {
  return {
    id: `${kind}:${t.id}${suffix}`,
    kind,
    schema: t.schema,
    name: t.name,
    path: suffix ? object.name : t.path,
    parent: t.id,
    target: t.id,
    suffix,
    object,
    deps: [t.id],
    owners: [t.id],
  };
}

export function comment(t: Target, object: ObjectName, text: string, suffix = ""): CommentObject {
  return { ...base("comment", t, object, suffix), text };
}

export function owner(
  t: Target,
  object: ObjectName,
  role: string,
  options: { declared?: boolean; loader?: string } = {},
): OwnerObject {
  const loader = options.loader ?? "postgres";
  return { ...base("owner", t, object), role, loader, declared: options.declared ?? role !== loader };
}

/** One grantee's privileges; `*` after a privilege: WITH GRANT OPTION. */
export function entry(grantee: string, privileges: string[], ownerRole?: string): AclEntry {
  return {
    grantee,
    owner: grantee === ownerRole,
    privileges: privileges.map((p) => p.replace("*", "")).sort(),
    grantable: privileges
      .filter((p) => p.endsWith("*"))
      .map((p) => p.replace("*", ""))
      .sort(),
  };
}

const TABLE_ALL = ["DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE"];

/** A table's ACL: the owner's default privileges plus `grants` (grantee -> privileges). */
export function tableAcl(
  t: Target,
  ownerRole: string,
  grants: Record<string, string[]> = {},
  object: ObjectName = named("table", t.path),
): PrivilegeObject {
  return privilege(t, "r", ownerRole, [entry(ownerRole, TABLE_ALL, ownerRole), ...grantsOf(grants, ownerRole)], object);
}

export function privilege(
  t: Target,
  aclType: AclType,
  ownerRole: string,
  entries: AclEntry[],
  object: ObjectName,
): PrivilegeObject {
  return {
    ...base("privilege", t, object),
    aclType,
    column: null,
    relation: null,
    ownerRole,
    entries,
  };
}

/** A column's extra privileges; `t` is the column object, `relation` its table. */
export function columnAcl(
  column: Target,
  relation: Target,
  ownerRole: string,
  grants: Record<string, string[]>,
): PrivilegeObject {
  return {
    ...base("privilege", column, named("table", relation.path)),
    aclType: "c",
    column: column.name,
    relation: relation.id,
    ownerRole,
    entries: grantsOf(grants, ownerRole),
  };
}

function grantsOf(grants: Record<string, string[]>, ownerRole: string): AclEntry[] {
  return Object.entries(grants).map(([g, p]) => entry(g === "PUBLIC" ? "" : g, p, ownerRole));
}

const WORDS: Record<DefaultAclObjectType, string> = {
  r: "TABLES",
  S: "SEQUENCES",
  f: "FUNCTIONS",
  T: "TYPES",
  n: "SCHEMAS",
  L: "LARGE OBJECTS",
};

export function defaultPrivilege(
  role: string,
  inSchema: string | null,
  objectType: DefaultAclObjectType,
  grants: Record<string, string[]>,
): DefaultPrivilegeObject {
  const word = WORDS[objectType];
  const path = inSchema ? `${inSchema}.${role}.${word}` : `${role}.${word}`;
  const schemaId = inSchema ? `schema:${inSchema}` : undefined;
  return {
    id: `default_privilege:${path}`,
    kind: "default_privilege",
    schema: inSchema,
    name: word,
    path,
    ...(schemaId ? { parent: schemaId } : {}),
    role,
    inSchema,
    objectType,
    entries: grantsOf(grants, role),
    deps: schemaId ? [schemaId] : [],
    owners: schemaId ? [schemaId] : [],
  };
}
