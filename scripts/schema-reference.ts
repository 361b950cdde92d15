/**
 * Renders a JSON Schema (the policy schema) as a Markdown reference: one section per object
 * with a table of its keys, definitions ($defs / definitions) as their own sections, linked.
 * Pure: text in, text out, so a test can tell whether the committed reference is current.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  items?: Schema | Schema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  oneOf?: Schema[];
  if?: Schema;
  then?: Schema;
  else?: Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  $defs?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
};

interface Section {
  anchor: string;
  title: string;
  schema: Schema;
}

/** The Markdown reference for a schema; `source` is named in the header. */
export function renderReference(root: Schema, source: string): string {
  const defs = { ...(root.definitions ?? {}), ...(root.$defs ?? {}) };
  const sections: Section[] = [];
  const queued = new Set<string>();
  const queue = (anchor: string, title: string, schema: Schema): void => {
    if (queued.has(anchor)) return;
    queued.add(anchor);
    sections.push({ anchor, title, schema });
  };
  queue('top-level', 'Top level', root);

  const out: string[] = [
    '# Policy reference',
    '',
    `<!-- Generated from ${source} by \`npm run docs:reference\`. Do not edit by hand: edit the schema's descriptions and run the script. -->`,
    '',
    root.description ? `${oneLine(root.description)}\n` : '',
    'Every key a policy file can hold, with its type and what it is for. See',
    '[writing a policy](writing-a-policy.md) for how the pieces fit together.',
    '',
  ];
  for (let i = 0; i < sections.length; i++) {
    const { anchor, title, schema } = sections[i];
    out.push(`## ${title}`, `<a id="${anchor}"></a>`, '');
    const resolved = deref(schema, defs);
    const description = describe(resolved) ?? describe(schema);
    if (description && i > 0) out.push(description, '');
    const objects = objectBranches(resolved, defs);
    if (objects.length === 0) {
      out.push(`Type: ${typeOf(resolved, defs, queue, anchor)}`, '');
      continue;
    }
    const other = otherForms(resolved, defs, queue, anchor);
    if (other) out.push(`Written as ${other}, or as a map:`, '');
    for (const object of objects) {
      const rows = propertyRows(object, defs, queue, anchor);
      if (rows.length > 0) out.push('| key | type | description |', '|---|---|---|', ...rows, '');
    }
  }
  return out.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n').trimEnd() + '\n';
}

function propertyRows(object: Schema, defs: Record<string, Schema>, queue: QueueFn, parent: string): string[] {
  const rows: string[] = [];
  const required = new Set(object.required ?? []);
  for (const [key, prop] of Object.entries(object.properties ?? {})) {
    const childAnchor = parent === 'top-level' ? key : `${parent}.${key}`;
    const type = typeOf(prop, defs, queue, childAnchor);
    const text = [describe(prop) ?? describe(deref(prop, defs)) ?? '', defaultOf(prop)].filter(Boolean).join(' ');
    rows.push(`| \`${key}\`${required.has(key) ? ' (required)' : ''} | ${cell(type)} | ${cell(text)} |`);
  }
  for (const [pattern, prop] of Object.entries(object.patternProperties ?? {})) {
    rows.push(`| any key matching \`${cell(pattern)}\` | ${cell(typeOf(prop, defs, queue, `${parent}.*`))} | ${cell(describe(prop) ?? '')} |`);
  }
  if (object.additionalProperties && typeof object.additionalProperties === 'object') {
    const prop = object.additionalProperties;
    rows.push(`| any name | ${cell(typeOf(prop, defs, queue, `${parent}.*`))} | ${cell(describe(prop) ?? '')} |`);
  }
  return rows;
}

type QueueFn = (anchor: string, title: string, schema: Schema) => void;

// A type as words, linking to a section for every object worth its own table.
function typeOf(s: Schema, defs: Record<string, Schema>, queue: QueueFn, anchor: string): string {
  if (s.$ref) {
    const name = refName(s.$ref);
    const target = deref(s, defs);
    if (isSimple(target, defs)) return typeOf(target, defs, queue, anchor);
    queue(`def-${name}`, `\`${name}\``, target);
    return `[${name}](#def-${name})`;
  }
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``).join(', ');
  const branches = branchesOf(s);
  if (branches) return [...new Set(branches.map((b, i) => typeOf(b, defs, queue, `${anchor}-${i + 1}`)))].join(' or ');
  if (s.allOf && s.allOf.length === 1) return typeOf(s.allOf[0], defs, queue, anchor);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.includes('array') || s.items) {
    const item = Array.isArray(s.items) ? s.items[0] : s.items;
    return item ? `list of ${typeOf(item, defs, queue, anchor)}` : 'list';
  }
  if (types.includes('object') || s.properties) {
    if (s.properties || s.patternProperties) {
      queue(anchor, `\`${anchor.replace(/^def-/, '')}\``, s);
      return `[object](#${anchor.replace(/[^a-z0-9._-]/gi, '')})`;
    }
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties, defs, queue, `${anchor}.*`)}`;
    return 'object';
  }
  const words = types.map((t) => (t === 'integer' ? 'integer' : t));
  const bounds = [s.pattern ? `matching \`${s.pattern}\`` : '', s.minimum !== undefined ? `>= ${s.minimum}` : '', s.maximum !== undefined ? `<= ${s.maximum}` : '']
    .filter(Boolean)
    .join(', ');
  return `${words.join(' or ') || 'any'}${bounds ? ` (${bounds})` : ''}`;
}

// oneOf / anyOf, or if-then-else (a string form and an object form), as alternatives.
function branchesOf(s: Schema): Schema[] | undefined {
  if (s.oneOf ?? s.anyOf) return s.oneOf ?? s.anyOf;
  if (s.if && (s.then || s.else)) return [s.then, s.else].filter((b): b is Schema => b !== undefined);
  return undefined;
}

function isSimple(s: Schema, defs: Record<string, Schema>): boolean {
  const r = deref(s, defs);
  return !r.properties && !branchesOf(r) && !r.patternProperties && !(r.type === 'object' && r.additionalProperties);
}

function objectBranches(s: Schema, defs: Record<string, Schema>): Schema[] {
  if (s.properties || s.patternProperties) return [s];
  const branches = branchesOf(s) ?? s.allOf ?? [];
  return branches.map((b) => deref(b, defs)).filter((b) => b.properties || b.patternProperties);
}

// The branches that are not objects (a bare name like `strip`), said in one line.
function otherForms(s: Schema, defs: Record<string, Schema>, queue: QueueFn, anchor: string): string | undefined {
  const branches = (branchesOf(s) ?? []).map((b) => deref(b, defs)).filter((b) => !b.properties && !b.patternProperties);
  if (branches.length === 0) return undefined;
  return branches.map((b) => typeOf(b, defs, queue, anchor)).join(' or ');
}

function deref(s: Schema, defs: Record<string, Schema>, depth = 0): Schema {
  if (!s.$ref || depth > 20) return s;
  const target = defs[refName(s.$ref)];
  return target ? deref(target, defs, depth + 1) : s;
}

function refName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

function describe(s: Schema): string | undefined {
  const text = s.markdownDescription ?? s.description ?? s.title;
  return text ? oneLine(text) : undefined;
}

function defaultOf(s: Schema): string {
  return s.default === undefined ? '' : `Default: \`${JSON.stringify(s.default)}\`.`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
