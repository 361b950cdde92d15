import type { Reply, Stage, Verdict } from './stage';

/** The reply a verdict gets when the policy does not give one (accept's status depends on the stage). */
export function defaultReply(verdict: Verdict, stage: Stage): Reply {
  switch (verdict) {
    case 'accept': {
      const status = stage === 'mail' ? '2.1.0' : stage === 'rcpt' ? '2.1.5' : '2.0.0';
      return { code: 250, status, text: stage === 'data' ? 'Message accepted' : 'OK' };
    }
    case 'reject':
      return { code: 550, status: '5.7.1', text: 'Refused by policy' };
    case 'tempfail':
      return { code: 451, status: '4.7.1', text: 'Try again later' };
    case 'drop':
    case 'quarantine':
      return { code: 250, status: '2.0.0', text: 'Message accepted' };
  }
}

/** The SMTP reply classes each verdict may use ("reject" may be 4xx, as Firebox's 452 for too many recipients). */
export const REPLY_CLASSES: Readonly<Record<Verdict, readonly number[]>> = {
  accept: [2],
  reject: [4, 5],
  tempfail: [4],
  drop: [2],
  quarantine: [2],
};
