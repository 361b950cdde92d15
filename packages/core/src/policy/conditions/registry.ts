import { client } from './client';
import type { ConditionSpec } from './condition-kit';
import { direction } from './direction';
import { dnsbl } from './dnsbl';
import { greylist } from './greylist';
import { header } from './header';
import { helo } from './helo';
import { malformed } from './malformed';
import { part } from './part';
import { recipient } from './recipient';
import { recipients } from './recipients';
import { sender } from './sender';
import { size } from './size';
import { spam } from './spam';
import { virus } from './virus';

/** Every condition of the language by its key in `when`. */
export const CONDITIONS: Readonly<Record<string, ConditionSpec>> = {
  direction, client, helo, sender, recipient, recipients, size, header, malformed, part, dnsbl, spam, virus, greylist,
};
