/**
 * Derived figures: small arithmetic over the figures of one replication, written in an
 * experiment file, e.g.
 *
 *   cpu.kernelNsPerSec / throughput.traced.deliveredPps
 *   (cpu.kernelNsPerSec - cpu.kernelNsPerSec@floor) / x.eventRate
 *
 * Grammar: numbers (1e9, 0.5), figure paths (dotted, with [i] indexes), `path@point` (the same
 * figure of another point of the run, in the same replication), + - * /, unary minus,
 * parentheses, and min(a, b, ...), max(...), abs(x). A point name after @ is letters, digits,
 * '_' and '-' (greedy: write `a@floor - b`, with spaces, to subtract).
 */

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'ref'; figure: string; point?: string }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { kind: 'call'; fn: 'min' | 'max' | 'abs'; args: Expr[] };

/** A syntax error with the column where it was found (1-based). */
export class ExprError extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(`${reason} at column ${column}`);
    this.name = 'ExprError';
  }
}

const FUNCTIONS = { min: 'at least one', max: 'at least one', abs: 'one' } as const;

type Token =
  | { t: 'num'; value: number; at: number }
  | { t: 'ref'; figure: string; point?: string; at: number }
  | { t: 'op'; op: string; at: number }
  | { t: 'end'; at: number };

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/;
const PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*/;
const POINT = /^[A-Za-z0-9_-]+/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ t: 'num', value: Number(num[0]), at: i + 1 });
      i += num[0].length;
      continue;
    }
    const path = PATH.exec(rest);
    if (path) {
      const at = i + 1;
      i += path[0].length;
      let point: string | undefined;
      if (text[i] === '@') {
        const p = POINT.exec(text.slice(i + 1));
        if (!p) throw new ExprError('expected a point name after "@"', i + 1);
        point = p[0];
        i += 1 + p[0].length;
      }
      tokens.push({ t: 'ref', figure: path[0], ...(point !== undefined ? { point } : {}), at });
      continue;
    }
    if ('+-*/(),'.includes(c)) {
      tokens.push({ t: 'op', op: c, at: i + 1 });
      i++;
      continue;
    }
    throw new ExprError(`unexpected "${c}"`, i + 1);
  }
  tokens.push({ t: 'end', at: text.length + 1 });
  return tokens;
}

/** Parses an expression. Throws ExprError. */
export function parseExpr(text: string): Expr {
  const tokens = tokenize(text);
  let k = 0;
  const peek = () => tokens[k];
  const isOp = (op: string) => {
    const t = peek();
    return t.t === 'op' && t.op === op;
  };
  const expectOp = (op: string) => {
    if (!isOp(op)) throw new ExprError(`expected "${op}"`, peek().at);
    k++;
  };

  const sum = (): Expr => {
    let left = product();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[k++] as { op: '+' | '-' }).op;
      left = { kind: 'bin', op, left, right: product() };
    }
    return left;
  };
  const product = (): Expr => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[k++] as { op: '*' | '/' }).op;
      left = { kind: 'bin', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp('-')) {
      k++;
      return { kind: 'neg', arg: unary() };
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = peek();
    if (t.t === 'num') {
      k++;
      return { kind: 'num', value: t.value };
    }
    if (t.t === 'ref') {
      k++;
      const next = peek();
      if (next.t === 'op' && next.op === '(' && t.point === undefined) return call(t.figure, t.at);
      return { kind: 'ref', figure: t.figure, ...(t.point !== undefined ? { point: t.point } : {}) };
    }
    if (isOp('(')) {
      k++;
      const inner = sum();
      expectOp(')');
      return inner;
    }
    throw new ExprError(t.t === 'end' ? 'unexpected end' : `unexpected "${t.t === 'op' ? t.op : ''}"`, t.at);
  };
  const call = (name: string, at: number): Expr => {
    if (!Object.hasOwn(FUNCTIONS, name)) throw new ExprError(`unknown function "${name}" (min, max, abs)`, at);
    const fn = name as keyof typeof FUNCTIONS;
    expectOp('(');
    const args = [sum()];
    while (isOp(',')) {
      k++;
      args.push(sum());
    }
    expectOp(')');
    if (fn === 'abs' && args.length !== 1) throw new ExprError('abs takes one argument', at);
    return { kind: 'call', fn, args };
  };

  const expr = sum();
  if (peek().t !== 'end') throw new ExprError('expected an operator or the end', peek().at);
  return expr;
}

/** Every figure reference of an expression (with its point, if any). */
export function references(e: Expr): { figure: string; point?: string }[] {
  switch (e.kind) {
    case 'num':
      return [];
    case 'ref':
      return [{ figure: e.figure, ...(e.point !== undefined ? { point: e.point } : {}) }];
    case 'neg':
      return references(e.arg);
    case 'bin':
      return [...references(e.left), ...references(e.right)];
    case 'call':
      return e.args.flatMap(references);
  }
}

/**
 * Evaluates with `lookup(figure, point)` giving a figure's value (NaN when absent). The result
 * may be NaN or infinite (a division by zero): callers treat a non-finite value as missing.
 */
export function evaluate(e: Expr, lookup: (figure: string, point: string | undefined) => number): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'ref':
      return lookup(e.figure, e.point);
    case 'neg':
      return -evaluate(e.arg, lookup);
    case 'bin':
      return binary(e.op, evaluate(e.left, lookup), evaluate(e.right, lookup));
    case 'call': {
      const xs = e.args.map((a) => evaluate(a, lookup));
      return e.fn === 'abs' ? Math.abs(xs[0]) : e.fn === 'min' ? Math.min(...xs) : Math.max(...xs);
    }
  }
}

function binary(op: '+' | '-' | '*' | '/', a: number, b: number): number {
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  return op === '*' ? a * b : a / b;
}
