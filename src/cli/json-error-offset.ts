/**
 * Finds where JSON text first goes wrong. Node 20's `JSON.parse` does not
 * always say (`Unexpected token 'x', "..." is not valid JSON`), and "invalid
 * JSON at line 3, column 7" is what a user needs to fix a file.
 * @module
 */

const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
// JSON forbids raw control characters inside strings, hence the range.
// eslint-disable-next-line no-control-regex
const STRING = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/;

class Scan {
  i = 0;
  constructor(readonly text: string) {}

  fail(): never {
    throw this.i;
  }

  ws(): void {
    while (this.i < this.text.length && WS.has(this.text[this.i]!)) this.i++;
  }

  token(re: RegExp): void {
    const m = re.exec(this.text.slice(this.i));
    if (!m) this.fail();
    this.i += m[0].length;
  }

  literal(word: string): void {
    if (!this.text.startsWith(word, this.i)) this.fail();
    this.i += word.length;
  }

  list(close: string, item: () => void): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === close) return void this.i++;
    for (;;) {
      item();
      this.ws();
      const c = this.text[this.i];
      if (c === close) return void this.i++;
      if (c !== ",") this.fail();
      this.i++;
    }
  }

  value(): void {
    this.ws();
    const c = this.text[this.i];
    if (c === "{") {
      this.list("}", () => {
        this.ws();
        this.token(STRING);
        this.ws();
        if (this.text[this.i] !== ":") this.fail();
        this.i++;
        this.value();
      });
    } else if (c === "[") this.list("]", () => this.value());
    else if (c === '"') this.token(STRING);
    else if (c === "t") this.literal("true");
    else if (c === "f") this.literal("false");
    else if (c === "n") this.literal("null");
    else this.token(NUMBER);
  }
}

/**
 * Character offset of the first JSON syntax error in `text`, or `null` when
 * the text is valid JSON.
 * @internal
 */
export function jsonErrorOffset(text: string): number | null {
  const scan = new Scan(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  try {
    scan.value();
    scan.ws();
    return scan.i < scan.text.length ? scan.i : null;
  } catch (offset) {
    return typeof offset === "number" ? offset : 0;
  }
}
