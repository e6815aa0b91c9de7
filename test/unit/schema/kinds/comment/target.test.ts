/** How comments, owners and privileges spell the objects they are about, from pg_identify_object's answers. */
import { describe, expect, it } from "vitest";
import { type ObjectNameRow, objectKeyword, objectName } from "../../../../../src/schema/kinds/comment/target.js";

const row = (r: Partial<ObjectNameRow>): ObjectNameRow => ({
  obj_type: "table",
  obj_identity: "public.t",
  obj_names: [],
  obj_args: [],
  proc_name: null,
  proc_args: null,
  ...r,
});

describe("object names", () => {
  it("spells routines with their identity arguments, and GRANT's signature with input types", () => {
    const f = objectName(row({ obj_type: "function", proc_name: "public.f", proc_args: "a integer, b text" }));
    expect(f).toEqual({
      type: "function",
      name: "public.f(a integer, b text)",
      signature: "public.f(a integer, b text)",
    });
    const count = objectName(row({ obj_type: "aggregate", proc_name: "public.cnt", proc_args: "", obj_args: [] }));
    expect(count.name).toBe("public.cnt(*)");
    expect(count.signature).toBe("public.cnt()");
    const ordered = objectName(
      row({
        obj_type: "aggregate",
        proc_name: "public.pct",
        proc_args: "double precision ORDER BY integer",
        obj_args: ["double precision", "integer"],
      }),
    );
    expect(ordered.name).toBe("public.pct(double precision ORDER BY integer)");
    expect(ordered.signature).toBe("public.pct(double precision, integer)");
  });

  it("spells objects that live on a table or a domain as `name ON ...`", () => {
    const trigger = objectName(row({ obj_type: "trigger", obj_names: ["public", "Users", "trg"] }));
    expect(trigger.name).toBe('trg ON public."Users"');
    const constraint = objectName(row({ obj_type: "domain constraint", obj_names: ["public.d"], obj_args: ["pos"] }));
    expect(constraint.name).toBe("pos ON DOMAIN public.d");
    expect(objectKeyword(constraint.type)).toBe("CONSTRAINT");
  });

  it("knows the COMMENT ON keyword of every column-like object, and no keyword for what it cannot name", () => {
    expect(objectKeyword("composite type column")).toBe("COLUMN");
    expect(objectKeyword("materialized view")).toBe("MATERIALIZED VIEW");
    expect(objectKeyword("foreign-data wrapper")).toBe("FOREIGN DATA WRAPPER");
    expect(objectKeyword("default acl")).toBeUndefined();
  });
});
