/**
 * Names that lie about what a file is: double extensions, bidirectional controls, CLSID
 * extensions, and declared types or contents that disagree with the name.
 */

/** Extensions Windows (or a script host) runs when the file is opened. */
export const EXECUTABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  'exe', 'com', 'scr', 'pif', 'bat', 'cmd', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'ws', 'hta',
  'cpl', 'msi', 'msp', 'mst', 'lnk', 'reg', 'dll', 'jar', 'ps1', 'psm1', 'scf', 'inf', 'msc',
  'application', 'gadget', 'sys', 'ocx', 'shs', 'shb', 'url', 'iso', 'img', 'vhd', 'appx',
]);

// LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI: reorder how a name is shown (`cod.exe` shown as
// `exe.doc`). The marks LRM, RLM and ALM only set the direction of what is next to them, and
// Hebrew and Arabic names carry them: not counted.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
const CLSID = /\.\{[0-9a-f-]{8,}\}$/iu;

function extensions(name: string): string[] {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.split('.').slice(1).map((e) => e.trim().toLowerCase());
}

/** The last extension of a name, lower case ('' when none). */
export function extensionOf(name: string): string {
  return extensions(name).pop() ?? '';
}

/** `invoice.pdf.exe`: a document-looking extension followed by an executable one. */
export function hasDoubleExtension(name: string): boolean {
  const ext = extensions(name);
  if (ext.length < 2) return false;
  const last = ext[ext.length - 1]!;
  const before = ext[ext.length - 2]!;
  return EXECUTABLE_EXTENSIONS.has(last) && /^[a-z0-9]{1,5}$/.test(before);
}

/** A name Windows would run, or one that hides such an extension behind another. */
export function isRiskyName(name: string): boolean {
  return EXECUTABLE_EXTENSIONS.has(extensionOf(name)) || hasDoubleExtension(name);
}

/** Sniffed kinds of content that matter for a mismatch. */
export type Sniffed = 'executable' | 'zip' | 'gzip' | 'other';

/** A Windows shortcut (MS-SHLLINK): header size 0x4C, then the shell link CLSID 00021401-0000-0000-C000-000000000046. */
const SHELL_LINK = Buffer.from('4c0000000114020000000000c000000000000046', 'hex');

/** What the first bytes of a decoded body say it is (a shortcut runs what it points at). */
export function sniff(head: Buffer): Sniffed {
  // A DOS header has control octets in its 64 (zeros in e_crlc and in the high half of e_lfanew,
  // which only a file of over 150 MB could avoid); text that starts "MZ" (a part number,
  // Mozambique's country code) has none.
  if (head.length >= 2 && head[0] === 0x4d && head[1] === 0x5a && head.subarray(0, 64).some((b) => b < 0x09)) return 'executable';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46) return 'executable';
  if (head.length >= SHELL_LINK.length && head.subarray(0, SHELL_LINK.length).equals(SHELL_LINK)) return 'executable';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  return 'other';
}

const HARMLESS_TYPES = /^(text|image|audio|video)\//;

/** True when a name or the content hides what the file is. */
export function isNameMismatch(names: readonly string[], declaredType: string, content: Sniffed): string | undefined {
  for (const name of names) {
    if (BIDI.test(name)) return `bidirectional control character in "${name}"`;
    if (CLSID.test(name)) return `CLSID extension in "${name}"`;
    if (EXECUTABLE_EXTENSIONS.has(extensionOf(name)) && (HARMLESS_TYPES.test(declaredType) || declaredType === 'application/pdf')) {
      return `"${name}" is declared ${declaredType}`;
    }
  }
  if (content === 'executable' && !names.some((n) => EXECUTABLE_EXTENSIONS.has(extensionOf(n)))) {
    return 'executable content under a non-executable name or type';
  }
  // Compressed SVG (.svgz) is gzip by definition (SVG 1.1 1.2), declared image/svg+xml.
  const svgz = content === 'gzip' && (declaredType === 'image/svg+xml' && names.every((n) => /\.svgz?$/i.test(n)));
  if ((content === 'zip' || content === 'gzip') && HARMLESS_TYPES.test(declaredType) && !svgz) {
    return `archive content declared ${declaredType}`;
  }
  return undefined;
}
