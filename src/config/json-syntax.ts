/**
 * Locating a JSON syntax error. Node 20's JSON.parse gives no position for some errors ("Unexpected token '}',
 * "<the text>" is not valid JSON") and echoes the file's text, which may hold a password. So when JSON.parse fails
 * we scan the text again with this small strict JSON grammar to find where and why, in our own words.
 */

export interface JsonSyntaxError {
  /** Character offset of the offending character (text length for "unexpected end"). */
  offset: number;
  message: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;

  const describe = (at: number): string =>
    at >= text.length ? "end of file" : `'${text[at] === "\n" ? "\\n" : text[at]}'`;
  const fail = (message: string, at = i): never => {
    throw new Stop(at, message);
  };
  const skipSpace = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const expectEnd = (what: string) => {
    if (i >= text.length) fail(`unexpected end of file ${what}`);
  };

  const parseString = () => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail("unterminated string", start);
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === "\\") {
        const next = text[i + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape in string");
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          i += 2;
        } else {
          fail(`invalid escape '\\${next ?? ""}' in string`);
        }
        continue;
      }
      if (ch.charCodeAt(0) < 0x20)
        fail(ch === "\n" ? "unterminated string (line break inside a string)" : "control character in string");
      i++;
    }
  };

  const parseNumber = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === "-") fail(`invalid number`);
    i += match![0].length;
  };

  const parseValue = (): void => {
    skipSpace();
    expectEnd("(a value was expected)");
    const ch = text[i]!;
    if (ch === "{") parseObject();
    else if (ch === "[") parseArray();
    else if (ch === '"') parseString();
    else if (ch === "-" || (ch >= "0" && ch <= "9")) parseNumber();
    else parseLiteral(ch);
  };

  const parseLiteral = (ch: string) => {
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (ch === "'") fail("strings must use double quotes");
    if (ch === "}" || ch === "]") fail(`unexpected ${describe(i)} (a value was expected)`);
    fail(`unexpected ${describe(i)}`);
  };

  const parseObject = () => {
    i++;
    skipSpace();
    if (text[i] === "}") {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      expectEnd("inside an object (missing '}')");
      if (text[i] === "}") fail("trailing comma before '}'");
      if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe(i)}`);
      parseString();
      skipSpace();
      if (text[i] !== ":") fail(`expected ':' after the property name, found ${describe(i)}`);
      i++;
      parseValue();
      skipSpace();
      expectEnd("inside an object (missing '}')");
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      fail(`expected ',' or '}' after a property value, found ${describe(i)}`);
    }
  };

  const parseArray = () => {
    i++;
    skipSpace();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] === "]") fail("trailing comma before ']'");
      parseValue();
      skipSpace();
      expectEnd("inside an array (missing ']')");
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      fail(`expected ',' or ']' after an array element, found ${describe(i)}`);
    }
  };

  try {
    skipSpace();
    if (i >= text.length) return { offset: 0, message: "the file is empty (expected a JSON object)" };
    parseValue();
    skipSpace();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, message: error.message };
    throw error;
  }
}
