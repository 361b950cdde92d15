import { decodeMimeWords } from './mime-words';
import { parseStructured, decodeExtended } from './header-params';
import { isRiskyName } from './name-checks';

/**
 * The name a file really gets on disk: RFC 2047 words decoded, `%xx` decoded, and the trailing
 * dots and spaces Windows drops removed (`a.exe. ` is `a.exe`).
 */
export function cleanFilename(raw: string): string {
  let name = raw;
  if (name.includes('=?')) {
    try {
      name = decodeMimeWords(name);
    } catch {
      // keep the raw text: an undecodable word must still be matched as written
    }
  }
  if (name.includes('%') && /%[0-9a-fA-F]{2}/.test(name)) name = decodeExtended(name, 'utf-8');
  return trimmed(name);
}

const trimmed = (name: string): string => name.replace(/[\s.\u0000]+$/u, '').replace(/^\s+/u, '');

/** NTFS's name for a file's own content: `a.exe::$DATA` opens (and saves as) `a.exe`. */
const DATA_STREAM = /::\$data$/iu;

/**
 * The names a file written as `name` may get on disk: trailing dots and spaces go (Windows), and
 * a name with a NUL or another control character, which no Windows name can hold, is also taken
 * cut at the first NUL (as C code reads it) and with the controls dropped: `a.exe\0.txt` is
 * also `a.exe`, `a.ex\x01e` also `a.exe`. A name ending in `::$DATA` is also the name without it.
 */
export function diskNames(name: string): string[] {
  const names = [trimmed(name)];
  const controls = /[\u0000-\u001f\u007f]/u.test(name);
  // (the usual name: one, as it is)
  if (!controls && !DATA_STREAM.test(names[0]!)) return names[0] ? names : [];
  if (controls) {
    names.push(trimmed(name.split('\u0000')[0]!), trimmed(name.replace(/[\u0000-\u001f\u007f]/gu, '')));
  }
  for (const n of [...names]) if (DATA_STREAM.test(n)) names.push(trimmed(n.replace(DATA_STREAM, '')));
  return [...new Set(names)].filter(Boolean);
}

/** The disk names of a raw name, added to `names` where new. */
function addNames(names: string[], raw: string): void {
  for (const name of diskNames(cleanFilename(raw))) if (!names.includes(name)) names.push(name);
}

/**
 * The names a header's `param` gives, read as most readers do (comments are text) and as RFC 2045
 * does (comments are not): `(c) filename="x.bat"` names x.bat to Python's email,
 * `x=( ; name="y.bat"` y.bat to libmime.
 */
function paramNames(names: string[], header: string | undefined, param: string): void {
  if (!header) return;
  for (const raw of parseStructured(header).params.get(param) ?? []) addNames(names, raw);
  if (!header.includes('(')) return;
  for (const raw of parseStructured(header, { comments: true }).params.get(param) ?? []) addNames(names, raw);
}

/**
 * Every file name an entity's headers give it (disposition `filename`, type `name`, then the
 * values of `others`: whole-value name fields such as Content-Name), decoded.
 */
export function entityFilenames(contentType: string | undefined, disposition: string | undefined, others: readonly string[] = []): string[] {
  const names: string[] = [];
  paramNames(names, disposition, 'filename');
  paramNames(names, contentType, 'name');
  for (const raw of others) addNames(names, raw);
  // The name that gives the part away goes first: notices and logs show `filename`, and a user
  // told "safe.txt was removed" when evil.exe was is misled.
  if (names.length < 2) return names;
  return names.map((n, i) => ({ n, i, risky: isRiskyName(n) }))
    .sort((a, b) => Number(b.risky) - Number(a.risky) || a.i - b.i)
    .map((x) => x.n);
}
