/**
 * The records of a pax extended header (POSIX.1-2001): `<length> <key>=<value>\n`, the length
 * counting the whole record. A damaged record ends the reading; what came before is kept.
 */
export function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  for (let at = 0; at < data.length;) {
    const space = data.indexOf(0x20, at);
    if (space < 0 || space - at > 20) break;
    const length = Number(data.subarray(at, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= space - at || at + length > data.length) break;
    const record = data.subarray(space + 1, at + length).toString('utf8').replace(/\n$/, '');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}
