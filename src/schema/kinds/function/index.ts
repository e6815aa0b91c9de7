/**
 * The `function` kind: functions (including window functions) and procedures. Ids are
 * `function:<schema>.<name>(<input argument types>)`; the step type is `function` or `procedure`.
 */
import type { KindHandler } from "../kind.js";
import { diffFunctions } from "./compare.js";
import { emitFunction } from "./emit.js";
import type { FunctionChange, FunctionObject } from "./types.js";

export const functionKind: KindHandler<FunctionObject, FunctionChange> = {
  kind: "function",
  // After types (argument and result types), before tables (defaults, checks and generated columns call them).
  rank: 25,
  // A routine holds no data: dropping and creating it again loses nothing (its privileges and comments are
  // objects of their own and come back with it).
  recreatable: true,
  introspect: (ctx) => import("./introspect.js").then((m) => m.introspectFunctions(ctx)),
  link: (ctx) => import("./body-refs.js").then((m) => m.linkBodyRefs(ctx)),
  diff: diffFunctions,
  emit: (change) => emitFunction(change),
};
