import type { FactProviders, VirusFact } from '@mailward/core';
import { scanStream, type ClamdOptions } from './instream';
import { scanParts } from './part-scan';

/** The `virus` fact from clamd: the whole message, and each part when a rule needs it. */
export function clamdProvider(options: ClamdOptions): Required<Pick<FactProviders, 'virus'>> {
  return {
    async virus(message, _model, perPart, ctx): Promise<VirusFact> {
      const names = await scanStream(message.open(), options, ctx.signal);
      if (!perPart) return { names };
      const parts = await scanParts(message, options, ctx.signal);
      const all = new Set([...names, ...Object.values(parts).flat()]);
      return { names: [...all], parts };
    },
  };
}
