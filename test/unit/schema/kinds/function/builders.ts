/** Hand-built IR objects of the function, aggregate and trigger kinds (the shapes introspection produces). */
import { type AggregateSpec, aggregateDefinition } from "../../../../../src/schema/kinds/aggregate/definition.js";
import type { AggregateObject } from "../../../../../src/schema/kinds/aggregate/types.js";
import type { FunctionAttributes, FunctionObject } from "../../../../../src/schema/kinds/function/types.js";
import type { TriggerObject } from "../../../../../src/schema/kinds/trigger/types.js";

const ATTRIBUTES: FunctionAttributes = {
  volatility: "volatile",
  strict: false,
  securityDefiner: false,
  leakproof: false,
  parallel: "unsafe",
  cost: "100",
  rows: "0",
};

const ATTRIBUTE_TEXT: Record<string, (a: FunctionAttributes) => string> = {
  volatility: (a) => (a.volatility === "volatile" ? "" : a.volatility.toUpperCase()),
  parallel: (a) => (a.parallel === "unsafe" ? "" : `PARALLEL ${a.parallel.toUpperCase()}`),
  strict: (a) => (a.strict ? "STRICT" : ""),
  securityDefiner: (a) => (a.securityDefiner ? "SECURITY DEFINER" : ""),
  leakproof: (a) => (a.leakproof ? "LEAKPROOF" : ""),
  cost: (a) => (a.cost === "100" ? "" : `COST ${a.cost}`),
  rows: (a) => (a.rows === "0" || a.rows === "1000" ? "" : `ROWS ${a.rows}`),
};

export interface FunctionSpec {
  /** `a integer, b text DEFAULT 'x'::text`, as pg_get_function_arguments prints it. */
  args?: string;
  /** Input argument types (the id). */
  argTypes?: string;
  identity?: string;
  result?: string | null;
  body?: string;
  language?: string;
  attributes?: Partial<FunctionAttributes>;
  procedure?: boolean;
  inputNames?: string[];
  outputs?: string[];
  defaults?: number;
  config?: string[];
  deps?: string[];
  bodyRefs?: string[];
}

/**
 * A function as pg_get_functiondef would print it. `core` is what the introspection query builds: everything but
 * the attributes, so equal specs give equal cores.
 */
export function fn(name: string, spec: FunctionSpec = {}): FunctionObject {
  const args = spec.args ?? "";
  const argTypes = spec.argTypes ?? "";
  const attributes = { ...ATTRIBUTES, ...spec.attributes };
  const procedure = spec.procedure ?? false;
  const result = procedure ? null : (spec.result ?? "integer");
  const language = spec.language ?? "sql";
  const body = spec.body ?? "SELECT 1";
  const attributeLine = Object.values(ATTRIBUTE_TEXT)
    .map((f) => f(attributes))
    .filter(Boolean)
    .join(" ");
  const lines = [
    `CREATE OR REPLACE ${procedure ? "PROCEDURE" : "FUNCTION"} public.${name}(${args})`,
    ...(result ? [` RETURNS ${result}`] : []),
    ` LANGUAGE ${language}`,
    ...(attributeLine ? [` ${attributeLine}`] : []),
    ...(spec.config ?? []).map((c) => ` SET ${c}`),
    `AS $function$${body}$function$`,
  ];
  const path = `public.${name}(${argTypes})`;
  return {
    id: `function:${path}`,
    kind: "function",
    schema: "public",
    name,
    path,
    routine: procedure ? "procedure" : "function",
    identity: spec.identity ?? argTypes,
    argTypes,
    definition: lines.join("\n"),
    language,
    result,
    inputNames: spec.inputNames ?? [],
    outputs: spec.outputs ?? [],
    defaults: spec.defaults ?? 0,
    attributes,
    core: JSON.stringify([args, result, language, body, spec.config ?? null, procedure]),
    bodyRefs: spec.bodyRefs ?? [],
    deps: ["schema:public", ...(spec.deps ?? [])],
    owners: [],
  };
}

export function aggregate(name: string, spec: Partial<AggregateSpec> & { deps?: string[] } = {}): AggregateObject {
  const full: AggregateSpec = {
    schema: "public",
    name,
    arguments: "numeric",
    variant: "normal",
    transfn: "public.num_add",
    transtype: "numeric",
    transspace: 0,
    finalfn: null,
    finalextra: false,
    finalmodify: "r",
    combinefn: null,
    serialfn: null,
    deserialfn: null,
    initval: null,
    mtransfn: null,
    minvtransfn: null,
    mtranstype: null,
    mtransspace: 0,
    mfinalfn: null,
    mfinalextra: false,
    mfinalmodify: "r",
    minitval: null,
    sortop: null,
    parallel: "u",
    ...spec,
  };
  const argTypes = full.arguments;
  const path = `public.${name}(${argTypes})`;
  return {
    id: `aggregate:${path}`,
    kind: "aggregate",
    schema: "public",
    name,
    path,
    identity: full.arguments || "*",
    argTypes,
    result: full.finalfn ? "numeric" : full.transtype,
    variant: full.variant,
    directArgs: 0,
    definition: aggregateDefinition(full),
    deps: ["schema:public", ...(spec.deps ?? [])],
    owners: [],
  };
}

export function trigger(
  tableName: string,
  name: string,
  definitionTail: string,
  extra: Partial<TriggerObject> & { on?: "table" | "view" } = {},
): TriggerObject {
  const { on = "table", ...rest } = extra;
  const t = `${on}:public.${tableName}`;
  const constraint = rest.constraint ?? false;
  return {
    id: `trigger:public.${tableName}.${name}`,
    kind: "trigger",
    schema: "public",
    name,
    path: `public.${tableName}.${name}`,
    parent: t,
    table: t,
    tableName,
    definition: `CREATE ${constraint ? "CONSTRAINT " : ""}TRIGGER ${name} ${definitionTail.replace("$T", `public.${tableName}`)}`,
    constraint,
    firing: "origin",
    deps: [t],
    owners: [t],
    ...rest,
  };
}
