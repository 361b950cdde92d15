import { closestWord } from '@mailward/core';
import { GATEWAY_SCHEMA } from './config-schema';

/**
 * The key gateway.yaml's schema allows where `unknown` was written, when it is close enough to
 * be a typo (as the policy loader suggests). `schemaPath` is ajv's, ending in additionalProperties.
 */
export function keySuggestion(schemaPath: string, unknown: string): string | undefined {
  let node: unknown = GATEWAY_SCHEMA;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1)) {
    if (part === '') continue;
    node = (node as Record<string, unknown> | undefined)?.[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))];
  }
  const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? closestWord(unknown, Object.keys(properties)) : undefined;
}
