import * as fs from 'node:fs';
import * as path from 'node:path';
import { codes } from './codes';
import type { HarakaConnection, HarakaMessageStream } from './haraka-types';
import type { MailwardPlugin, MailwardState } from './plugin-state';
import { refusal, type HookOutcome } from './reply';
import { combined } from './session-notes';
import { handOverRouted } from './route-handover';

/**
 * Runs first among the queue plugins. drop: answer OK so no queue plugin delivers it.
 * quarantine: write it to mailward.yaml's `quarantine.dir` ourselves, or leave it to Haraka's
 * queue/quarantine (which reads the notes set at data_post); with neither, refuse to queue it
 * (4xx) rather than deliver a message the policy wanted held.
 */
export async function queueStage(
  plugin: MailwardPlugin,
  state: MailwardState,
  connection: HarakaConnection,
): Promise<HookOutcome> {
  const txn = connection.transaction;
  if (!txn) return { code: codes.cont };
  const session = combined(connection.notes, txn.notes);
  if (session.verdict === 'drop') {
    connection.loginfo(plugin, `dropped by rule ${session.rule ?? 'default'}`);
    return { code: codes.ok, msg: 'Message accepted' };
  }
  if (session.verdict !== 'quarantine') return (await handOverRouted(plugin, connection)) ?? { code: codes.cont };
  // quarantine with `forward`: data_post already addressed it to the quarantine mailbox.
  if (session.quarantine?.forward) return (await handOverRouted(plugin, connection)) ?? { code: codes.cont };

  if (state.settings.quarantineDir) {
    const file = await writeQuarantine(state.settings.quarantineDir, txn.uuid, txn.message_stream);
    txn.notes.quarantined = file;
    txn.results.add(plugin, { quarantined: file, reason: session.quarantine?.reason ?? '' });
    connection.loginfo(plugin, `quarantined by rule ${session.rule ?? 'default'} in ${file}`);
    return { code: codes.ok, msg: 'Message accepted' };
  }
  if (quarantinePluginListed(plugin)) return { code: codes.cont };
  return noQuarantine(plugin, connection);
}

/**
 * Whether a quarantine can be kept: `quarantine.dir` or Haraka's queue/quarantine. Checked at
 * data_post, where the refusal keeps its 451 (at the queue hook Haraka answers every DENYSOFT
 * with 450, whatever code the plugin gives).
 */
export function quarantineAvailable(plugin: MailwardPlugin, state: MailwardState): boolean {
  return Boolean(state.settings.quarantineDir) || quarantinePluginListed(plugin);
}

/** The refusal when the policy quarantines and nothing can keep the message. */
export function noQuarantine(plugin: MailwardPlugin, connection: HarakaConnection): HookOutcome {
  connection.logerror(plugin, 'quarantine asked but neither quarantine.dir in mailward.yaml nor queue/quarantine in config/plugins is set: message refused with 451');
  return { code: codes.denysoft, msg: refusal(451, '4.3.0', 'Message cannot be queued now; try again later') };
}

/** True when config/plugins lists Haraka's queue/quarantine. */
function quarantinePluginListed(plugin: MailwardPlugin): boolean {
  const list = plugin.config.get('plugins', 'list');
  return Array.isArray(list) && list.some((p) => String(p).trim() === 'queue/quarantine');
}

/**
 * Writes the message (as it would be delivered) to DIR/YYYYMMDD/<uuid>.eml, complete or not at
 * all, and durably before the 250 (file and folder fsynced); readable by Haraka's user only
 * (0600 in 0700 folders), as the gateway's spool is: quarantined mail is someone's mail.
 */
async function writeQuarantine(
  dir: string,
  uuid: string,
  stream: HarakaMessageStream,
): Promise<string> {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const target = path.join(dir, day);
  await fs.promises.mkdir(target, { recursive: true, mode: 0o700 });
  const tmp = path.join(target, `.${uuid}.tmp`);
  const file = path.join(target, `${uuid}.eml`);
  try {
    await new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(tmp, { mode: 0o600 });
      out.on('error', reject);
      out.on('close', () => resolve());
      // A message that cannot be read back (its spool file gone) fails the write, not hangs it.
      const failed = (err: Error): void => {
        out.destroy();
        reject(err);
      };
      stream.on('error', failed);
      stream.pipe(out);
    });
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await synced(tmp);
  await fs.promises.rename(tmp, file);
  await synced(target);
  return file;
}

/** fsync a file or a folder (a rename in it), off the event loop. */
async function synced(p: string): Promise<void> {
  const handle = await fs.promises.open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
