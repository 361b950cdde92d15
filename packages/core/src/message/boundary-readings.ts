import { parseStructured } from './header-params';
import { ENCODED_WORD } from './mime-words';

/**
 * Reports a multipart's boundary parameter that readers take as different boundaries, so that
 * each splits the parts its own way: `boundary=b1(c)` is `b1(c)` to mailsplit and `b1` to
 * Python's email, which drops the comment (RFC 2045 5.1 allows comments there); an encoded word
 * (`boundary="=?utf-8?Q?b1?="`) is decoded by Python's email, by mailsplit not. A message
 * can hold parts for one reading and a decoy for the other.
 */
export function ambiguousBoundary(contentType: string, boundaries: readonly string[], report: (detail: string) => void): void {
  if (contentType.includes('(')) {
    const without = parseStructured(contentType, { comments: true }).params.get('boundary') ?? [];
    const differ = without.length !== boundaries.length || without.some((b, i) => b.trim() !== boundaries[i]!.trim());
    if (differ) report(`boundary read two ways: ${JSON.stringify(boundaries[0] ?? '')} as written, ${JSON.stringify(without[0] ?? '')} without its comment`);
  }
  if (boundaries.some((b) => ENCODED_WORD.test(b))) report('boundary written as an encoded word: a reader that decodes it (Python\'s email does) splits the parts at other lines');
}
