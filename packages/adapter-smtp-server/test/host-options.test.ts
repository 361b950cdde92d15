import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore } from '../src/index';

const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\n', 'test.yaml');
const create = (server: object): unknown => createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), server });

describe('the host smtp-server options createPolicyServer takes', () => {
  it('refuses implicit TLS without the host certificate (smtp-server would use its public built-in key)', () => {
    expect(() => create({ secure: true })).toThrow(/secure: true needs the host's own key and cert/);
    expect(() => create({ secure: true, key: 'k' })).toThrow(/key and cert/);
  });

  it('refuses the hooks the adapter sets itself, which would be silently replaced or never called', () => {
    const hook = (): void => undefined;
    for (const name of ['onConnect', 'onMailFrom', 'onRcptTo', 'onData']) {
      expect(() => create({ [name]: hook })).toThrow(new RegExp(`server.${name} cannot be given: the adapter runs the policy there`));
    }
    expect(() => create({ onAuth: hook })).toThrow(/server.onAuth cannot be given: pass authenticate/);
    expect(() => create({ onClose: hook, banner: 'Trial' })).not.toThrow();
  });
});
