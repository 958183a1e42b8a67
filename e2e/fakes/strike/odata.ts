/**
 * How a fake Strike lists: `GET /v1/invoices` takes OData `$filter` (eq, gt, ge, lt, le joined by
 * and/or, with parentheses), `$orderby` on `created`, `$skip` and `$top` (at most 100), and
 * answers `{items, count}` (docs.strike.me/api/get-invoices).
 */

export type ODataFields<T> = Record<string, { kind: 'string' | 'datetime'; get(item: T): string | undefined }>;

export class ODataError extends Error {}

type Token = { kind: 'open' } | { kind: 'close' } | { kind: 'quoted'; text: string } | { kind: 'word'; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < filter.length) {
    const char = filter.charAt(at);
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === '(' || char === ')') {
      tokens.push(char === '(' ? { kind: 'open' } : { kind: 'close' });
      at += 1;
    } else if (char === "'") {
      // `''` inside a literal stands for one quote.
      let text = '';
      at += 1;
      for (;;) {
        if (at >= filter.length) throw new ODataError('unterminated string literal');
        if (filter.charAt(at) !== "'") {
          text += filter.charAt(at++);
        } else if (filter.charAt(at + 1) === "'") {
          text += "'";
          at += 2;
        } else {
          break;
        }
      }
      at += 1;
      tokens.push({ kind: 'quoted', text });
    } else {
      const word = /^[^\s()']+/.exec(filter.slice(at))?.[0] ?? char;
      tokens.push({ kind: 'word', text: word });
      at += word.length;
    }
  }
  return tokens;
}

const COMPARATORS: Record<string, (order: number) => boolean> = {
  eq: (order) => order === 0,
  gt: (order) => order > 0,
  ge: (order) => order >= 0,
  lt: (order) => order < 0,
  le: (order) => order <= 0,
};

/** `and` binds tighter than `or`; names, operators and strings compare case-sensitively. */
export function compileFilter<T>(filter: string, fields: ODataFields<T>): (item: T) => boolean {
  const tokens = tokenize(filter);
  let at = 0;
  const next = (): Token => {
    const token = tokens[at++];
    if (!token) throw new ODataError('unexpected end of $filter');
    return token;
  };
  const isWord = (text: string) => {
    const token = tokens[at];
    return token?.kind === 'word' && token.text === text;
  };
  const binary = (parseOperand: () => (item: T) => boolean, word: 'and' | 'or') => () => {
    let left = parseOperand();
    while (isWord(word)) {
      at += 1;
      const [l, r] = [left, parseOperand()];
      left = word === 'and' ? (item) => l(item) && r(item) : (item) => l(item) || r(item);
    }
    return left;
  };
  const parsePrimary = (): ((item: T) => boolean) => {
    const token = next();
    if (token.kind === 'open') {
      const inner = parseOr();
      if (next().kind !== 'close') throw new ODataError('expected )');
      return inner;
    }
    if (token.kind !== 'word') throw new ODataError('expected a property name');
    const field = fields[token.text];
    if (!field) throw new ODataError(`cannot filter on ${token.text}`);
    const operator = next();
    const compare = operator.kind === 'word' ? COMPARATORS[operator.text] : undefined;
    if (!compare) throw new ODataError(`expected eq, gt, ge, lt or le after ${token.text}`);
    const literal = next();
    if (literal.kind === 'open' || literal.kind === 'close') throw new ODataError(`expected a value after ${token.text}`);
    if (field.kind === 'datetime') {
      const valueMs = Date.parse(literal.text);
      if (Number.isNaN(valueMs)) throw new ODataError(`${token.text} needs an ISO 8601 datetime`);
      return (item) => {
        const own = field.get(item);
        return own !== undefined && compare(Date.parse(own) - valueMs);
      };
    }
    if (literal.kind !== 'quoted') throw new ODataError(`${token.text} needs a quoted string`);
    const value = literal.text;
    return (item) => {
      const own = field.get(item);
      return own !== undefined && compare(own < value ? -1 : own > value ? 1 : 0);
    };
  };
  const parseAnd = binary(parsePrimary, 'and');
  const parseOr = binary(parseAnd, 'or');
  const predicate = parseOr();
  if (at !== tokens.length) throw new ODataError('unexpected text after the expression');
  return predicate;
}

/** One page and the number of matches; without `$orderby`, oldest first. */
export function listPage<T extends { created: string }>(
  all: readonly T[],
  query: (name: string) => string | undefined,
  fields: ODataFields<T>,
): { items: T[]; count: number } {
  const filter = query('$filter');
  let matching = filter === undefined ? [...all] : all.filter(compileFilter(filter, fields));
  const order = /^created(?:\s+(asc|desc))?$/.exec((query('$orderby') ?? 'created').trim());
  if (!order) throw new ODataError('$orderby: only created asc or created desc');
  const skip = Number(query('$skip') ?? 0);
  const top = Number(query('$top') ?? 100);
  if (!Number.isInteger(skip) || skip < 0 || !Number.isInteger(top) || top < 0 || top > 100) {
    throw new ODataError('$skip and $top are whole numbers, $top at most 100');
  }
  const sign = order[1] === 'desc' ? -1 : 1;
  matching = matching.sort((a, b) => sign * (Date.parse(a.created) - Date.parse(b.created)));
  return { items: matching.slice(skip, skip + top), count: matching.length };
}
