// gateway.yaml's `facts`: the options of @mailward/facts' providers (docs/facts.md), so that a
// misspelt provider or option is a start-up error and not a scanner silently left out.

const ENDPOINT = {
  type: 'object', additionalProperties: false, description: '{ host, port } over TCP or { socket } (a unix socket)',
  properties: { host: { type: 'string', minLength: 1 }, port: { type: 'integer', minimum: 1, maximum: 65535 }, socket: { type: 'string', minLength: 1 } },
  anyOf: [{ required: ['socket'], properties: { socket: true } }, { required: ['host', 'port'], properties: { host: true, port: true } }],
} as const;

const MS = { type: 'number', exclusiveMinimum: 0 } as const;
const COUNT = { type: 'integer', minimum: 1 } as const;
const STRINGS = { type: 'array', items: { type: 'string' } } as const;

export const FACTS_SCHEMA = {
  type: 'object', additionalProperties: false,
  description: 'Fact providers (see docs/facts.md): clamd, spamd, dns, greylist, verify.',
  properties: {
    clamd: {
      type: 'object', additionalProperties: false, required: ['endpoint'],
      properties: { endpoint: ENDPOINT, timeoutMs: MS, chunkSize: COUNT },
    },
    spamd: {
      type: 'object', additionalProperties: false, required: ['endpoint'],
      properties: { endpoint: ENDPOINT, timeoutMs: MS, report: { type: 'boolean' }, maxSize: COUNT, user: { type: 'string' } },
    },
    dns: {
      type: 'object', additionalProperties: false,
      properties: { servers: STRINGS, timeoutMs: MS, cacheSize: COUNT, cacheTtlMs: MS },
    },
    greylist: {
      type: 'object', additionalProperties: false,
      properties: {
        delay: { type: 'number', minimum: 30, maximum: 3600, description: 'seconds' },
        retryWindow: { type: 'number', exclusiveMinimum: 0, description: 'seconds' },
        passLifetime: { type: 'number', exclusiveMinimum: 0, description: 'seconds' },
        clientWhitelist: STRINGS, recipientWhitelist: STRINGS, maxEntries: COUNT,
        redis: {
          type: 'object', additionalProperties: false,
          properties: { url: { type: 'string' }, host: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 }, prefix: { type: 'string' }, timeoutMs: MS },
        },
      },
    },
    verify: {
      type: 'object', additionalProperties: false, required: ['hubs'],
      properties: {
        hubs: {
          type: 'array', minItems: 1,
          items: { type: 'object', additionalProperties: false, required: ['host', 'port'], properties: { host: { type: 'string', minLength: 1 }, port: { type: 'integer', minimum: 1, maximum: 65535 } } },
        },
        helo: { type: 'string' }, timeoutMs: MS, existsTtlMs: MS, unknownTtlMs: MS, cacheSize: COUNT,
      },
    },
  },
} as const;
