/** Comments (COMMENT ON ...) on any object the IR holds, one object per commented catalog address. */
import type { ChangeBase } from "../../compare/change.js";
import type { IrObjectBase } from "../../ir/types.js";
import type { AttributeFields } from "./target.js";

export interface CommentObject extends IrObjectBase, AttributeFields {
  kind: "comment";
  parent: string;
  text: string;
}

type Base = ChangeBase & { kind: "comment"; object: CommentObject };

/** create and alter set the text; drop sets it to NULL (nothing when the target goes or is recreated). */
export type CommentChange = Base & { op: "create" | "drop" | "alter" };

declare module "../../ir/types.js" {
  interface IrObjectTypes {
    comment: CommentObject;
  }
}
declare module "../../compare/change.js" {
  interface ChangeTypes {
    comment: CommentChange;
  }
}
