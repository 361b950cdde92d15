/** How a control character is named in a problem: the one YAML's "..." escapes write, or U+XXXX. */
function controlName(c: string): string {
  const code = c.charCodeAt(0);
  const escape = ({ 0: '\\0', 8: '\\b', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 27: '\\e' } as Record<number, string>)[code];
  const u = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code === 10 || code === 13 ? `a line break (${escape})` : escape !== undefined ? `the control character ${escape} (${u})` : `the control character ${u}`;
}

/**
 * Why policy text that goes into one line of the message or envelope (a `headers.add` value,
 * a rewrite's `to`, the `subject` prefix) may not hold a control character but tab, or
 * undefined when it holds none. A line break there ended the field and started another
 * (`"x\r\nBcc: ..."`), and the rewriter deleting it made a value nobody wrote.
 */
export function lineTextProblem(text: string, what: string): string | undefined {
  const bad = /[\x00-\x08\x0a-\x1f\x7f]/.exec(text);
  if (!bad) return undefined;
  const block = bad[0] === '\n' && bad.index === text.length - 1 ? ' (a YAML `|` or `>` block ends with one: write `|-` or `>-`)' : '';
  return `${what} holds ${controlName(bad[0])}${block}; it goes into one header line (or SMTP command), where a line break would end it and start another (\`"x\\r\\nBcc: ..."\` adds a Bcc) and no other control character is text: write it on one line without control characters (tab is allowed)`;
}

/**
 * Why a notice (the text of a part, so it may have line breaks and tabs) may not hold another
 * control character, or undefined: a NUL or an escape in a text part is no text a reader shows.
 */
export function noticeTextProblem(text: string): string | undefined {
  const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (!bad) return undefined;
  return `the notice holds ${controlName(bad[0])}, which is not text a reader shows; a notice may have line breaks and tabs, but no other control character`;
}
