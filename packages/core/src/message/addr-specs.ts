/**
 * The addresses an address-list header value names (RFC 5322 3.4), for an envelope read from a
 * message: `"Smith, J" <"j.smith"@acme.example>, "j smith"@acme.example, team: al@x.example;`.
 * Display names, comments and groups are taken apart by their syntax, not looked through for an
 * `@`, so a quoted local part stays whole (written as it was, quotes and all, as smtp-server hands
 * `MAIL FROM:<"j.smith"@acme.example>` to the policy) and a comma in a quoted name splits nothing.
 */
export interface AddrSpecs {
  /** Each addr-spec, in order, as written (comments and folding white space left out). */
  addresses: string[];
  /** The names of groups with no address in them (`undisclosed-recipients` for `undisclosed-recipients:;`). */
  emptyGroups: string[];
}

interface Token {
  /** A special (`<>,:;@`), or the text of an atom, quoted string or domain literal as written. */
  text: string;
  special: boolean;
  /** White space or a comment stands between this token and the one before. */
  gap: boolean;
}

const SPECIALS = '<>,:;@';
const ATOM_END = /[\s()<>[\]:;@,"\\]/;

/** The addr-specs and empty groups of one address header's value; time linear in its length. */
export function addrSpecsOf(value: string): AddrSpecs {
  const out: AddrSpecs = { addresses: [], emptyGroups: [] };
  let item: Token[] = [];
  let angle: Token[] | undefined; // inside <...>: the route-less addr-spec so far
  let group: { name: string; members: number } | undefined;
  const endItem = (): void => {
    const addresses = angle !== undefined ? addressIn(angle) : bareAddresses(item);
    out.addresses.push(...addresses);
    if (group) group.members += addresses.length;
    item = [];
    angle = undefined;
  };
  let inAngle = false;
  for (const t of tokens(value)) {
    if (inAngle) {
      if (t.special && t.text === '>') inAngle = false;
      else if (t.special && t.text === ':') angle = []; // a source route (`<@relay:al@x>`) is not the address
      else angle!.push(t);
    } else if (t.special && t.text === '<') {
      inAngle = true;
      angle = [];
    } else if (t.special && t.text === ',') endItem();
    else if (t.special && t.text === ':' && !group && angle === undefined) {
      group = { name: words(item), members: 0 };
      item = [];
    } else if (t.special && t.text === ';') {
      endItem();
      if (group && group.members === 0) out.emptyGroups.push(group.name);
      group = undefined;
    } else if (angle === undefined) item.push(t);
  }
  endItem();
  if (group && group.members === 0) out.emptyGroups.push(group.name); // a group never closed
  return out;
}

/** The value cut into tokens; comments and white space only mark the gap before the next. */
function* tokens(value: string): Generator<Token> {
  let gap = false;
  for (let i = 0; i < value.length; ) {
    const c = value[i]!;
    if (/\s/.test(c)) {
      gap = true;
      i++;
    } else if (c === '(') {
      i = skipComment(value, i);
      gap = true;
    } else if (c === '"' || c === '[') {
      const end = closing(value, i, c === '"' ? '"' : ']');
      yield { text: value.slice(i, end), special: false, gap };
      gap = false;
      i = end;
    } else if (SPECIALS.includes(c)) {
      yield { text: c, special: true, gap };
      gap = false;
      i++;
    } else {
      let end = i + 1;
      while (end < value.length && !ATOM_END.test(value[end]!)) end++;
      yield { text: value.slice(i, end), special: false, gap };
      gap = false;
      i = end;
    }
  }
}

/** The index after the comment starting at `i` (nested, with quoted pairs; unclosed runs to the end). */
function skipComment(value: string, i: number): number {
  let depth = 0;
  for (; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return value.length;
}

/** The index after the `close` that ends the quoted string or literal starting at `i`. */
function closing(value: string, i: number, close: string): number {
  for (let j = i + 1; j < value.length; j++) {
    if (value[j] === '\\') j++;
    else if (value[j] === close) return j + 1;
  }
  return value.length;
}

/** An angle-addr's tokens as an address: `local@domain`, or none (`<>`, a local part alone). */
function addressIn(ts: readonly Token[]): string[] {
  const at = ts.findIndex((t) => t.special && t.text === '@');
  return at > 0 && at < ts.length - 1 ? [ts.map((t) => t.text).join('')] : [];
}

/**
 * The addr-specs of an item without `<>`: each `@` with the word before and after it (a word
 * is the tokens written together; obsolete syntax lets white space stand around the `@`).
 */
function bareAddresses(ts: readonly Token[]): string[] {
  const found: string[] = [];
  let from = 0; // tokens before this belong to an address already taken
  for (let at = 0; at < ts.length; at++) {
    if (!(ts[at]!.special && ts[at]!.text === '@')) continue;
    let start = at;
    while (start > from && !ts[start - 1]!.special && (start === at || !ts[start]!.gap)) start--;
    let end = at + 1;
    while (end < ts.length && !ts[end]!.special && (end === at + 1 || !ts[end]!.gap)) end++;
    if (start < at && end > at + 1) found.push(ts.slice(start, end).map((t) => t.text).join(''));
    from = end;
    at = end - 1;
  }
  return found;
}

/** Tokens as words separated by single spaces where they were apart (a group's name). */
function words(ts: readonly Token[]): string {
  return ts.map((t, i) => (i > 0 && t.gap ? ` ${t.text}` : t.text)).join('');
}
