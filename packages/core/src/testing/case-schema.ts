import Ajv, { type ErrorObject } from 'ajv';
import { closest } from '../policy/ajv-problems';
import { checkExpectedEffects } from './effect-fields';

// Strict like ESLint's RuleTester: every object closes its keys, so a misspelt `expect.verdcit`
// fails the case instead of silently testing nothing.

const failure = {
  type: 'object',
  properties: { error: { type: 'string', description: 'Why the fact could not be had (a timeout, a refused connection).' } },
  required: ['error'],
  additionalProperties: false,
} as const;

const reply = {
  anyOf: [
    { type: 'integer', minimum: 200, maximum: 599 },
    {
      type: 'object',
      properties: {
        code: { type: 'integer', minimum: 200, maximum: 599 },
        status: { type: 'string', pattern: '^[245]\\.\\d{1,3}\\.\\d{1,3}$' },
        text: { type: 'string' },
      },
      additionalProperties: false,
    },
  ],
} as const;

const verdict = { enum: ['accept', 'reject', 'tempfail', 'drop', 'quarantine'] } as const;

const attachment = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    content: { type: 'string' },
    base64: { type: 'string' },
    size: { type: 'integer', minimum: 0, maximum: 64 * 1024 * 1024 },
    disposition: { enum: ['attachment', 'inline'] },
  },
  additionalProperties: false,
} as const;

/** JSON Schema of one test case (YAML `tests:` items and PolicyTester cases alike). */
export const caseSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    envelope: {
      type: 'object',
      properties: {
        client: {
          anyOf: [
            { type: 'string' },
            {
              type: 'object',
              properties: {
                ip: { type: 'string' },
                hostname: { type: 'string' },
                tls: { type: 'boolean' },
                auth: { type: ['boolean', 'string'] },
              },
              required: ['ip'],
              additionalProperties: false,
            },
          ],
        },
        helo: { type: 'string' },
        from: { type: 'string' },
        to: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        direction: { enum: ['inbound', 'outbound'] },
      },
      additionalProperties: false,
    },
    message: {
      anyOf: [
        { type: 'string' },
        {
          // One object for the three forms (file, raw, built inline) so a typo is reported once;
          // `checkCase` tells which form keys were mixed.
          type: 'object',
          properties: {
            file: { type: 'string' },
            raw: { type: 'string' },
            headers: { type: 'object', additionalProperties: { type: 'string' } },
            text: { type: 'string' },
            html: { type: 'string' },
            attachments: { type: 'array', items: attachment },
          },
          additionalProperties: false,
        },
      ],
    },
    facts: {
      type: 'object',
      properties: {
        spam: {
          type: 'object',
          properties: {
            score: { type: 'number' },
            threshold: { type: 'number' },
            symbols: { type: 'array', items: { type: 'string' } },
            error: failure.properties.error,
          },
          additionalProperties: false,
        },
        virus: {
          type: 'object',
          properties: {
            names: { type: 'array', items: { type: 'string' } },
            parts: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
            error: failure.properties.error,
          },
          additionalProperties: false,
        },
        dnsbl: { type: 'object', additionalProperties: { anyOf: [{ type: 'array', items: { type: 'string' } }, failure] } },
        rhsbl: { type: 'object', additionalProperties: { anyOf: [{ type: 'array', items: { type: 'string' } }, failure] } },
        greylist: {
          anyOf: [
            { enum: ['pending', 'pass'] },
            {
              type: 'object',
              properties: { error: failure.properties.error },
              additionalProperties: { anyOf: [{ enum: ['pending', 'pass'] }, failure] },
            },
          ],
        },
        resolves: { type: 'object', additionalProperties: { anyOf: [{ type: 'boolean' }, failure] } },
        recipientExists: { type: 'object', additionalProperties: { anyOf: [{ type: 'boolean' }, failure] } },
      },
      additionalProperties: false,
    },
    expect: {
      type: 'object',
      properties: {
        verdict,
        stage: { enum: ['connect', 'helo', 'mail', 'rcpt', 'data'] },
        reply,
        fired: { type: 'array', items: { type: 'string' } },
        effects: {
          type: 'array',
          items: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'] },
        },
        recipients: {
          type: 'array',
          items: {
            type: 'object',
            properties: { address: { type: 'string' }, verdict, reply },
            required: ['address'],
            additionalProperties: false,
          },
        },
        quarantine: {
          type: 'object',
          properties: { reason: { type: 'string' }, notify: { type: 'array', items: { type: 'string' } }, forward: { type: 'string', description: 'The quarantine mailbox the message is delivered to instead.' } },
          additionalProperties: false,
        },
        output: {
          anyOf: [
            { type: 'string', minLength: 1, description: 'An .eml file: the message as delivered, compared whole (line ends aside).' },
            {
              type: 'object',
              properties: {
                contains: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Text the delivered message must hold.' },
                lacks: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Text it must not hold.' },
              },
              minProperties: 1,
              additionalProperties: false,
            },
          ],
        },
      },
      required: ['verdict'],
      additionalProperties: false,
    },
  },
  required: ['name', 'expect'],
  additionalProperties: false,
} as const;

/** A problem with a case as written: where (a JSON pointer into the case) and what to change. */
export interface CaseProblem {
  pointer: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const validate = ajv.compile(caseSchema);

/** Checks one case against the schema; returns what is wrong ([] when it is well-formed). */
export function checkCase(value: unknown): CaseProblem[] {
  const problems = validate(value) ? [] : explain(validate.errors ?? []);
  if (problems.length === 0) problems.push(...checkForms(value as Record<string, unknown>), ...checkExpectedEffects((value as { expect: { effects?: unknown } }).expect.effects));
  return problems;
}

// What JSON Schema cannot say briefly: which keys go together.
function checkForms(c: Record<string, unknown>): CaseProblem[] {
  const problems: CaseProblem[] = [];
  const message = c['message'];
  if (message && typeof message === 'object') {
    const keys = Object.keys(message);
    const forms = ['file', 'raw'].filter((k) => keys.includes(k));
    const inline = keys.filter((k) => k !== 'file' && k !== 'raw');
    if (forms.length + (inline.length > 0 ? 1 : 0) > 1) {
      problems.push({ pointer: '/message', message: '`message` takes one of `file`, `raw`, or `headers`/`text`/`html`/`attachments`, not several' });
    }
  }
  const facts = (c['facts'] ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const [name, needed] of [['spam', 'score'], ['virus', 'names']] as const) {
    const fact = facts[name];
    if (!fact) continue;
    const has = needed in fact;
    if (has === 'error' in fact) {
      problems.push({ pointer: `/facts/${name}`, message: `\`facts.${name}\` takes either \`${needed}\` or \`error\` (a failed lookup)` });
    }
  }
  return problems;
}

// ajv reports every branch of an anyOf. Keep the errors of the branch the value's JSON type
// chose, merge pure type mismatches into one line, and word them as what to change.
function explain(errors: ErrorObject[]): CaseProblem[] {
  const problems: CaseProblem[] = [];
  const seen = new Set<string>();
  const add = (pointer: string, message: string): void => {
    if (seen.has(pointer + message)) return;
    seen.add(pointer + message);
    problems.push({ pointer: pointer || '/', message });
  };
  const deeper = (e: ErrorObject): boolean =>
    errors.some((o) => o.instancePath.startsWith(`${e.instancePath}/`) || (o.keyword === 'additionalProperties' && o.instancePath === e.instancePath));
  // An enum branch of an anyOf whose object branch found the real problem deeper is noise too.
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'type' && !(e.keyword === 'enum' && deeper(e)));
  // A misspelt required key (`verdcit`) is one mistake: say "did you mean", not also "needs".
  const meant = new Map<string, string>();
  for (const e of specific.filter((x) => x.keyword === 'additionalProperties')) {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const hint = closest(key, Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}));
    if (hint !== undefined) meant.set(`${e.instancePath}/${key}`, hint);
  }
  for (const e of specific) {
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const hint = meant.get(`${e.instancePath}/${key}`);
      add(`${e.instancePath}/${key}`, `unknown key \`${key}\`${where(e.instancePath)}${hint !== undefined ? `; did you mean \`${hint}\`?` : ''}`);
    } else if (e.keyword === 'required' && [...meant].some(([at, hint]) => hint === (e.params as { missingProperty: string }).missingProperty && at.startsWith(`${e.instancePath}/`) && !at.slice(e.instancePath.length + 1).includes('/'))) {
      continue;
    } else if (e.keyword === 'enum') {
      add(e.instancePath, `${label(e.instancePath)} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`);
    } else if (e.keyword === 'required') {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      add(e.instancePath, `${label(e.instancePath)} needs \`${key}\``);
    } else {
      add(e.instancePath, `${label(e.instancePath)} ${e.message ?? 'is not valid'}`);
    }
  }
  const typeErrors = new Map<string, string[]>();
  for (const e of errors.filter((x) => x.keyword === 'type')) {
    // A type mismatch is noise when another branch took the value and found something deeper.
    if (specific.some((s) => s.instancePath.startsWith(e.instancePath))) continue;
    const types = typeErrors.get(e.instancePath) ?? [];
    types.push(String((e.params as { type: string | string[] }).type));
    typeErrors.set(e.instancePath, types);
  }
  for (const [pointer, types] of typeErrors) add(pointer, `${label(pointer)} must be ${[...new Set(types)].join(' or ')}`);
  return problems.length > 0 ? problems : [{ pointer: '/', message: 'the case is not valid' }];
}

function where(pointer: string): string {
  return pointer ? ` in \`${pointer.slice(1).replace(/\//g, '.')}\`` : '';
}

function label(pointer: string): string {
  return pointer ? `\`${pointer.slice(1).replace(/\//g, '.')}\`` : 'the case';
}
