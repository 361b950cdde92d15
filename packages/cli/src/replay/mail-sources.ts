import { createReadStream, type Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { looksLikeMbox, mboxMessages } from './mbox-reader';

/** What reading a SOURCE turns up, one item at a time. */
export type StoredItem =
  /** A message to replay: `source` names it (a file, or "mbox:line"); `open` streams its bytes once. */
  | { kind: 'message'; source: string; open: () => Readable }
  /** Something that should have been mail and could not be read. */
  | { kind: 'unreadable'; source: string; reason: string }
  /** A folder entry that is not mail by its name (not *.eml, outside a maildir's cur/ and new/), or a link to a folder. */
  | { kind: 'ignored'; source: string };

/**
 * The messages of one SOURCE, lazily and in name order: a folder (its *.eml files, recursively;
 * a folder with cur/ or new/ is a maildir, every file there a message), an mbox file (its first
 * line a "From " separator; an empty file is an empty mbox) or a single message file. The next
 * item is read only when asked for.
 */
export async function* storedMessages(path: string): AsyncGenerator<StoredItem> {
  const info = await stat(path);
  if (info.isDirectory()) yield* folderMessages(path);
  // An empty file is an empty mbox: no messages, rather than one that is not a message.
  else if (info.size === 0) return;
  else if (await startsLikeMbox(path)) yield* mboxItems(path);
  else yield message(path);
}

async function* folderMessages(dir: string): AsyncGenerator<StoredItem> {
  let entries: Dirent[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    yield unreadable(dir, err);
    return;
  }
  const maildir = entries.some((e) => e.isDirectory() && (e.name === 'cur' || e.name === 'new'));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const kind = await kindOf(entry, path);
    if (maildir && (entry.name === 'cur' || entry.name === 'new') && kind === 'dir') yield* maildirFiles(path);
    // tmp/ holds deliveries still being written: not mail yet.
    else if (maildir && entry.name === 'tmp' && kind === 'dir') continue;
    else if (kind === 'dir') yield* folderMessages(path);
    else if (kind === 'file' && entry.name.toLowerCase().endsWith('.eml')) yield message(path);
    else yield { kind: 'ignored', source: path };
  }
}

async function* maildirFiles(dir: string): AsyncGenerator<StoredItem> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch (err) {
    yield unreadable(dir, err);
    return;
  }
  for (const name of names) yield message(join(dir, name));
}

async function* mboxItems(path: string): AsyncGenerator<StoredItem> {
  try {
    for await (const m of mboxMessages(createReadStream(path))) {
      yield { kind: 'message', source: `${path}:${m.line}`, open: () => m.stream };
    }
  } catch (err) {
    yield unreadable(path, err);
  }
}

async function startsLikeMbox(path: string): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'r');
    const head = Buffer.alloc(5);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return looksLikeMbox(head.subarray(0, bytesRead));
  } catch {
    return false; // reading it as a message reports why it cannot be read
  } finally {
    await file?.close();
  }
}

async function kindOf(entry: Dirent, path: string): Promise<'dir' | 'file' | 'other'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const info = await stat(path);
    // A link to a folder is not followed: links can make loops.
    return info.isFile() ? 'file' : 'other';
  } catch {
    return 'file'; // a dangling link: reading it says why
  }
}

function message(path: string): StoredItem {
  return { kind: 'message', source: path, open: () => createReadStream(path) };
}

function unreadable(source: string, err: unknown): StoredItem {
  const e = err as NodeJS.ErrnoException;
  return { kind: 'unreadable', source, reason: e.code ?? e.message };
}
