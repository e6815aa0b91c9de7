/**
 * Turns pg_depend into IR edges. Objects the IR does not hold as objects of their own are folded into the object
 * they belong to: an internal dependency ('i': a constraint's index, a table's row type, an array type, a view's
 * rewrite rule, an identity sequence) means "part of"; an extension member ('e') stands for its extension; a
 * column default (pg_attrdef) stands for its column; a sub-object address (a column of a relation that has no
 * column objects, e.g. a view's) falls back to the whole object.
 */
import type { Queryable } from "../../pg/client.js";
import { addressKey } from "../ir/types.js";

export interface DependRow {
  classid: string;
  objid: number;
  objsubid: number;
  refclassid: string;
  refobjid: number;
  refobjsubid: number;
  deptype: string;
}

/** User objects have OIDs from 16384 (FirstNormalObjectId); system objects are never part of the IR. */
const USER_OID = 16384;

export async function readDependencies(db: Queryable): Promise<DependRow[]> {
  const { rows } = await db.query<DependRow>(
    `SELECT classid::regclass::text AS classid, objid::int8 AS objid, objsubid,
            refclassid::regclass::text AS refclassid, refobjid::int8 AS refobjid, refobjsubid, deptype::text AS deptype
       FROM pg_catalog.pg_depend
      WHERE objid >= ${USER_OID} AND deptype IN ('n', 'a', 'i', 'e')`,
  );
  for (const r of rows) {
    r.objid = Number(r.objid);
    r.refobjid = Number(r.refobjid);
  }
  return rows;
}

/** Address -> IR id resolution, with folding. */
export class AddressResolver {
  private readonly fold = new Map<string, string>();

  constructor(private readonly registered: Map<string, string>) {}

  /** Records the folds implied by pg_depend: internal parts, extension members and column defaults. */
  addFolds(rows: DependRow[]): void {
    for (const r of rows) {
      const partOf = r.deptype === "i" || r.deptype === "e" || (r.deptype === "a" && r.classid === "pg_attrdef");
      if (!partOf) continue;
      const from = addressKey(r.classid, r.objid, r.objsubid);
      if (this.registered.has(from) || this.fold.has(from)) continue;
      this.fold.set(from, addressKey(r.refclassid, r.refobjid, r.refobjsubid));
    }
  }

  private readonly memo = new Map<string, string | undefined>();

  resolve(classid: string, objid: number, subid = 0): string | undefined {
    const start = `${classid}:${objid}:${subid}`;
    if (this.memo.has(start)) return this.memo.get(start);
    const id = this.walk(classid, objid, subid);
    this.memo.set(start, id);
    return id;
  }

  private walk(classid: string, objid: number, subid: number): string | undefined {
    let [c, o, s] = [classid, String(objid), String(subid)];
    for (let hops = 0; hops < 10; hops++) {
      const key = `${c}:${o}:${s}`;
      const id = this.registered.get(key);
      if (id) return id;
      const next = this.fold.get(key);
      if (next) {
        [c, o, s] = next.split(":") as [string, string, string];
      } else if (s !== "0") {
        s = "0";
      } else {
        return undefined;
      }
    }
    return undefined;
  }

  resolveRow(r: DependRow): { from: string | undefined; to: string | undefined } {
    return {
      from: this.resolve(r.classid, r.objid, r.objsubid),
      to: this.resolve(r.refclassid, r.refobjid, r.refobjsubid),
    };
  }
}
