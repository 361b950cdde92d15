import { Readable } from 'node:stream';
import { analyze } from '../../analyze';
import type { AnalyzeOptions } from '../../limits';
import type { MessageModel } from '../../model';

/** A message carrying `bytes` as an attachment named `name`, analyzed. */
export const analyzeAttached = (name: string, bytes: Buffer, type = 'application/zip', options?: AnalyzeOptions): Promise<MessageModel> => analyze(Readable.from([Buffer.from(
  `From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: ${type}; name=${name}\r\nContent-Transfer-Encoding: base64\r\n\r\n${bytes.toString('base64')}\r\n--B--\r\n`)]), options);

/** The names analysis gives each archive member. */
export const memberFilenames = (m: MessageModel): string[][] => m.parts.filter((p) => p.inArchive).map((p) => p.filenames);
