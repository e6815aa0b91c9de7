/** The ACL algebra: per-grantee deltas, grant options, the owner as a grantee of its own, uncertain starting points. */
import { describe, expect, it } from "vitest";
import {
  aclDelta,
  defaultAcl,
  entriesOf,
  intersect,
  OWNER_KEY,
  toAcl,
  union,
  withoutRevoked,
} from "../../../../../src/schema/kinds/privilege/acl.js";
import { entry } from "./builders.js";

describe("acl", () => {
  it("merges aclexplode rows per grantee (several grantors), marks the owner and sorts (PUBLIC, the owner, roles)", () => {
    const rows = [
      { grantee: "app", privilege: "SELECT", grantable: false },
      { grantee: "app", privilege: "SELECT", grantable: true },
      { grantee: "owner_role", privilege: "UPDATE", grantable: false },
      { grantee: "", privilege: "SELECT", grantable: false },
    ];
    expect(entriesOf(rows, "owner_role")).toEqual([
      { grantee: "", owner: false, privileges: ["SELECT"], grantable: [] },
      { grantee: "owner_role", owner: true, privileges: ["UPDATE"], grantable: [] },
      { grantee: "app", owner: false, privileges: ["SELECT"], grantable: ["SELECT"] },
    ]);
  });

  it("revokes what goes, revokes only the grant option when the privilege stays, grants what comes", () => {
    const from = toAcl([entry("a", ["SELECT*", "INSERT"]), entry("b", ["SELECT"])]);
    const to = toAcl([entry("a", ["SELECT", "UPDATE*"]), entry("c", ["USAGE"])]);
    expect(aclDelta(from, to)).toEqual({
      revoke: [
        { key: "a", privileges: ["INSERT"] },
        { key: "b", privileges: ["SELECT"] },
      ],
      revokeGrantOption: [{ key: "a", privileges: ["SELECT"] }],
      grant: [{ key: "c", privileges: ["USAGE"] }],
      grantWithOption: [{ key: "a", privileges: ["UPDATE"] }],
    });
  });

  it("adds a grant option to a privilege already held with a WITH GRANT OPTION grant", () => {
    const d = aclDelta(toAcl([entry("a", ["SELECT"])]), toAcl([entry("a", ["SELECT*"])]));
    expect(d).toEqual({
      revoke: [],
      revokeGrantOption: [],
      grant: [],
      grantWithOption: [{ key: "a", privileges: ["SELECT"] }],
    });
  });

  it("compares the owner as the owner whatever its name on each side", () => {
    const current = toAcl([entry("alice", ["SELECT", "UPDATE"], "alice")]);
    const desired = toAcl([entry("postgres", ["SELECT", "UPDATE"], "postgres")]);
    expect(aclDelta(current, desired)).toEqual({ revoke: [], revokeGrantOption: [], grant: [], grantWithOption: [] });
    expect([...current.keys()]).toEqual([OWNER_KEY]);
  });

  it("from uncertain starting points, revokes from their union and grants from their intersection", () => {
    const a = toAcl([entry("reader", ["SELECT"])]);
    const b = toAcl([entry("writer", ["INSERT"])]);
    const to = toAcl([entry("writer", ["INSERT"])]);
    const d = aclDelta(union(a, b), to, intersect(a, b));
    expect(d.revoke).toEqual([{ key: "reader", privileges: ["SELECT"] }]);
    expect(d.grant).toEqual([{ key: "writer", privileges: ["INSERT"] }]);
  });

  it("knows the built-in defaults: owners hold everything (MAINTAIN from 17), PUBLIC executes and uses types", () => {
    expect(defaultAcl("f", 160000).get("")).toEqual(new Map([["EXECUTE", false]]));
    expect(defaultAcl("T", 160000).has("")).toBe(true);
    expect(defaultAcl("r", 160000).has("")).toBe(false);
    expect([...(defaultAcl("r", 160000).get(OWNER_KEY)?.keys() ?? [])]).not.toContain("MAINTAIN");
    expect([...(defaultAcl("r", 170000).get(OWNER_KEY)?.keys() ?? [])]).toContain("MAINTAIN");
    expect(defaultAcl("c", 170000).size).toBe(0);
  });

  it("takes from column privileges what a table-level REVOKE takes from them too", () => {
    const columns = toAcl([entry("app", ["UPDATE*", "SELECT"]), entry("other", ["UPDATE"])]);
    const after = withoutRevoked(columns, {
      revoke: [{ key: "other", privileges: ["UPDATE"] }],
      revokeGrantOption: [{ key: "app", privileges: ["UPDATE"] }],
    });
    expect(after).toEqual(
      new Map([
        [
          "app",
          new Map([
            ["UPDATE", false],
            ["SELECT", false],
          ]),
        ],
      ]),
    );
  });
});
