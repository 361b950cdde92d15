import { FACTS_SCHEMA } from './facts-schema';

// How we talk TLS to a next hop (hubs, the smarthost, MX hosts).
const HOP_TLS = {
  type: 'object', additionalProperties: false,
  properties: {
    ca: { type: 'string', description: 'PEM file of the CA(s) to trust (relative to gateway.yaml)' },
    rejectUnauthorized: { type: 'boolean', description: 'refuse a certificate that is not trusted or names another host' },
    requireTLS: { type: 'boolean', description: 'STARTTLS or no delivery' },
  },
} as const;

/** JSON Schema of gateway.yaml; durations in seconds. */
export const GATEWAY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    hostname: { type: 'string', description: 'Name in the banner, Received lines and bounces.' },
    policy: { type: 'string', description: 'Path of the policy file (relative to gateway.yaml), or builtin:firebox-inbound.' },
    domain: { type: 'string', description: 'Replaces the policy list `our-domains` with this domain and its subdomains.' },
    listeners: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['listen'],
        properties: {
          listen: { type: 'string', description: 'host:port, or systemd:NAME / fd:N for a socket passed by systemd socket activation' },
          direction: { enum: ['inbound', 'outbound'] },
          tls: { type: 'object', additionalProperties: false, required: ['key', 'cert'], properties: { key: { type: 'string' }, cert: { type: 'string' } } },
          secure: { type: 'boolean', description: 'Implicit TLS (port 465 style).' },
          auth: {
            type: 'object', additionalProperties: false, anyOf: [{ required: ['passwords'], properties: { passwords: true } }, { required: ['imap'], properties: { imap: true } }],
            description: 'AUTH PLAIN/LOGIN, offered over TLS only, checked against `passwords`, `imap`, or both (the file first).',
            properties: {
              passwords: { type: 'string', description: 'File of `user:scrypt:N:salt:hash` lines (`mailward passwd USER`).' },
              imap: {
                type: 'object', additionalProperties: false, required: ['host'],
                description: 'IMAP server that checks the logins (a login and a logout per check).',
                properties: {
                  host: { type: 'string', minLength: 1 },
                  port: { type: 'integer', minimum: 1, maximum: 65535, description: 'default 993 (implicit) or 143 (starttls)' },
                  tls: { enum: ['implicit', 'starttls'], description: 'implicit (default) or starttls (required); never cleartext' },
                  ca: { type: 'string', description: 'PEM file of the CA(s) to trust for this server (relative to gateway.yaml)' },
                  rejectUnauthorized: { type: 'boolean', description: 'default true; false accepts any certificate' },
                  timeout: { type: 'number', exclusiveMinimum: 0, description: 'seconds for the whole check (default 10); past it AUTH gets 454' },
                  cacheTime: { type: 'number', minimum: 0, description: 'seconds a login that passed is remembered (default 300; 0: never)' },
                },
              },
            },
          },
        },
      },
    },
    spool: { type: 'string', description: 'Spool directory (created with mode 0700).' },
    spoolLimit: { type: 'integer', minimum: 1, description: 'Most messages in the queue; over it MAIL FROM gets 452 4.3.1.' },
    delivery: {
      type: 'object', additionalProperties: false, required: ['mode'],
      properties: {
        mode: { enum: ['smtp', 'maildir'] },
        maildir: { type: 'string' },
        hubs: { type: 'array', items: { type: 'string' } },
        routes: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        smarthost: {
          type: 'object', additionalProperties: false, required: ['host'], dependencies: { user: ['pass'], pass: ['user'] },
          properties: {
            host: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 }, user: { type: 'string' }, pass: { type: 'string' }, method: { enum: ['PLAIN', 'LOGIN', 'CRAM-MD5'] },
            tls: { ...HOP_TLS, description: 'default with user: certificate verified, STARTTLS required before AUTH' },
          },
        },
        mx: {
          type: 'object', additionalProperties: false,
          description: "Mail no route or hub takes goes to the recipient domain's MX hosts (`mx: {}`: the defaults).",
          properties: {
            port: { type: 'integer', minimum: 1, maximum: 65535, description: 'port of every MX host (default 25)' },
            servers: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'DNS servers, "IP" or "IP:port" (default: the system\'s)' },
            dnsTimeout: { type: 'number', exclusiveMinimum: 0, description: 'seconds one DNS lookup (an MX query, or the A and AAAA of a host) may take, retries included (default 5)' },
            tls: { ...HOP_TLS, description: 'default: STARTTLS when offered, certificate not checked (opportunistic)' },
          },
        },
        tls: { ...HOP_TLS, description: 'TLS toward hubs and routes; default: STARTTLS when offered, certificate not checked' },
        timeout: { type: 'number', minimum: 1, description: 'seconds for a next hop to connect and greet (default 60)' },
        replyTimeout: { type: 'number', minimum: 1, description: 'seconds for each reply after the greeting (default 600, RFC 5321 for the end of DATA)' },
        maxConnsPerSite: { type: 'integer', minimum: 1, description: 'connections to one hop at once (default 5)' },
        maxMailsPerConn: { type: 'integer', minimum: 1, description: 'messages per connection (default 100)' },
      },
    },
    queue: {
      type: 'object', additionalProperties: false,
      properties: {
        scanPeriod: { type: 'number', exclusiveMinimum: 0, description: 'seconds (default 2)' },
        resendPeriod: { type: 'number', exclusiveMinimum: 0, description: 'seconds (default 600)' },
        abandonTime: { type: 'number', exclusiveMinimum: 0, description: 'seconds (default 432000 = 5 days)' },
        maxBackoff: { type: 'number', exclusiveMinimum: 0, description: 'seconds (default 14400)' },
        maxConns: { type: 'integer', minimum: 1, description: 'deliveries at once (default 10)' },
      },
    },
    facts: FACTS_SCHEMA,
    secret: { type: 'string', minLength: 16, description: 'HMAC key for masqueraded Message-IDs.' },
    postmaster: { type: 'string' },
    user: { type: 'string', description: 'Unprivileged user to switch to after binding the listeners.' },
    admin: {
      type: 'object', additionalProperties: false, required: ['listen'],
      properties: { listen: { type: 'string', description: 'host:port of /metrics and /healthz; keep it on loopback.' } },
    },
    quarantine: {
      type: 'object', additionalProperties: false,
      properties: { retentionDays: { type: 'number', minimum: 0, description: 'Days a quarantined message is kept (default 30; 0 keeps it).' } },
    },
    log: {
      type: 'object', additionalProperties: false,
      properties: { level: { enum: ['debug', 'info', 'warn', 'error'] }, format: { enum: ['json', 'pretty'] } },
    },
  },
} as const;

/** gateway.yaml's top-level keys (what tells one from a policy file, which has none of them). */
export const GATEWAY_KEYS: readonly string[] = Object.keys((GATEWAY_SCHEMA as { properties: Record<string, unknown> }).properties);
