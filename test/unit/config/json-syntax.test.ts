import { describe, expect, it } from "vitest";
import { parseJson } from "../../../src/config/json-file.js";
import { findJsonSyntaxError } from "../../../src/config/json-syntax.js";
import { isPostkitError } from "../../../src/errors.js";

function errorOf(text: string): string {
  try {
    parseJson(text, "f.json");
  } catch (error) {
    if (isPostkitError(error)) return error.message;
    throw error;
  }
  return "parsed";
}

describe("JSON syntax errors", () => {
  it.each([
    ['{\n  "a": 1,\n}', "f.json:3:1: invalid JSON: trailing comma before '}'"],
    ['{"a": [1, 2,]}', "f.json:1:13: invalid JSON: trailing comma before ']'"],
    ['{"a": 1 "b": 2}', "f.json:1:9: invalid JSON: expected ',' or '}' after a property value, found '\"'"],
    ["{'a': 1}", "f.json:1:2: invalid JSON: expected a double-quoted property name, found '''"],
    ["{\"a\": 'x'}", "f.json:1:7: invalid JSON: strings must use double quotes"],
    ['{"a" 1}', "f.json:1:6: invalid JSON: expected ':' after the property name, found '1'"],
    ['{"a": }', "f.json:1:7: invalid JSON: unexpected '}' (a value was expected)"],
    ['{"a": "x\ny"}', "f.json:1:9: invalid JSON: unterminated string (line break inside a string)"],
    ['{"a": "\\q"}', "f.json:1:8: invalid JSON: invalid escape '\\q' in string"],
    ['{"a": tru}', "f.json:1:7: invalid JSON: unexpected 't'"],
    ['{"a": 1}}', "f.json:1:9: invalid JSON: unexpected '}' after the end of the JSON value"],
    ['{"a": {"b": 1}', "f.json:1:15: invalid JSON: unexpected end of file inside an object (missing '}')"],
    ["   ", "f.json:1:1: invalid JSON: the file is empty (expected a JSON object)"],
    ['{"a": -}', "f.json:1:7: invalid JSON: invalid number"],
  ])("%j -> %s", (text, expected) => {
    expect(errorOf(text)).toBe(expected);
  });

  it("finds nothing wrong in valid JSON, whatever its shape", () => {
    for (const text of ['{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}}', "[]", '"s"', " 0 "]) {
      expect(findJsonSyntaxError(text)).toBeUndefined();
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it("never quotes the text around the error (it may be a password)", () => {
    const message = errorOf('{"url": "postgres://u:topsecret@h/db" x}');
    expect(message).not.toContain("topsecret");
    expect(message).toMatch(/^f\.json:1:39: /);
  });
});
