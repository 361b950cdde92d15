/**
 * Finds the addr-specs in an address header value (`"Al" <al@x>, bob@y, group: c@z;`), so each
 * can be rewritten while display names, groups, comments and encoded words stay as written.
 */
const ADDRESS = /([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+|"(?:[^"\\]|\\.)*")@([A-Za-z0-9.-]+|\[[^\]]*\])/g;

/** Replace every address in the value with `fn(address)`; `fn` returning undefined keeps it. */
export function mapAddresses(value: string, fn: (address: string) => string | undefined): string {
  let out = '';
  let last = 0;
  let quoted = false;
  // Skip text inside quoted display names: an "@" there is not an address.
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\' && quoted) {
      i++;
      continue;
    }
    if (value[i] === '"') {
      // A quoted local part ("a b"@x) is part of an address, not a display name.
      const rest = value.slice(i);
      const m = /^"(?:[^"\\]|\\.)*"@/.exec(rest);
      if (!quoted && m) {
        ADDRESS.lastIndex = i;
        const hit = ADDRESS.exec(value);
        if (hit && hit.index === i) {
          out += value.slice(last, i) + (fn(hit[0]) ?? hit[0]);
          last = i + hit[0].length;
          i = last - 1;
          continue;
        }
      }
      quoted = !quoted;
      continue;
    }
    if (quoted) continue;
    ADDRESS.lastIndex = i;
    const hit = ADDRESS.exec(value);
    if (hit && hit.index === i) {
      out += value.slice(last, i) + (fn(hit[0]) ?? hit[0]);
      last = i + hit[0].length;
      i = last - 1;
    }
  }
  return out + value.slice(last);
}

/** Header fields whose value is a list of addresses. */
export function isAddressHeader(name: string): boolean {
  return /^(from|to|cc|bcc|reply-to|sender|resent-(from|to|cc|bcc|sender)|return-path|errors-to|disposition-notification-to)$/i.test(name);
}
