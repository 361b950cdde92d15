/**
 * A delivery that fails in an unexpected way (os.networkInterfaces() refused under systemd's
 * RestrictAddressFamilies without AF_NETLINK, as MX delivery's loop check asks it) is a
 * temporary outcome of the recipients it was for: thrown out of the attempt, it was never
 * counted, never backed off and never bounced, and came back at every scan (every 2 s).
 */
import os from 'node:os';
import { Readable } from 'node:stream';
import { deliver } from '../src/delivery/deliver';
import type { QueueRecord } from '../src/spool/queue-record';

afterEach(() => jest.restoreAllMocks());

it('answers temporary, with the error, for the group whose delivery threw', async () => {
  jest.spyOn(os, 'networkInterfaces').mockImplementation(() => {
    throw new Error('uv_interface_addresses returned Unknown system error 97');
  });
  const record = {
    id: 'Q1', sender: 'a@example.org', recipients: [{ address: 'x@[192.0.2.7]', state: 'pending' }, { address: 'y@[192.0.2.7]', state: 'pending' }],
  } as unknown as QueueRecord;
  const outcomes = await deliver(record, () => Readable.from([Buffer.from('Subject: s\r\n\r\nx\r\n')]), {
    mode: 'smtp', mx: { port: 2525 }, ownListeners: [{ host: '0.0.0.0', port: 2525 }],
  });
  expect(outcomes).toEqual(['x@[192.0.2.7]', 'y@[192.0.2.7]'].map((address) => ({
    address, outcome: 'temporary', detail: 'delivery failed: uv_interface_addresses returned Unknown system error 97',
  })));
});
