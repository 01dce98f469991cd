/**
 * A small JSON Schema (draft 2020-12) validator for the keywords docs/report.schema.json uses:
 * $ref to #/$defs, type, const, enum, properties, required, additionalProperties: false, items,
 * prefixItems, minItems, minimum, pattern, oneOf. Anything else throws, so the schema cannot
 * silently use a keyword this checker ignores. Returns the list of violations.
 */
type Schema = Record<string, unknown> | boolean;
const KNOWN = new Set(['$schema', '$id', 'title', 'description', '$defs', '$ref', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'minItems', 'minimum', 'pattern', 'oneOf']);

function typeOk(value: unknown, type: string): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'boolean': return typeof value === 'boolean';
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'array': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    default: throw new Error(`unsupported type ${type}`);
  }
}

/** Violations of `schema` (default: the root) by `value`, resolving $ref against root.$defs. */
export function validate(root: Record<string, unknown>, value: unknown, schema: Schema = root): string[] {
  const errors: string[] = [];
  const defs = (root.$defs ?? {}) as Record<string, Schema>;
  const check = (schema: Schema, v: unknown, at: string): void => {
    if (schema === true) return;
    if (schema === false) { errors.push(`${at}: not allowed`); return; }
    for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`unsupported keyword ${key} at ${at}`);
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/$defs/', '');
      if (!(name in defs)) throw new Error(`unknown $ref ${schema.$ref}`);
      check(defs[name], v, at);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string];
      if (!types.some((t) => typeOk(v, t))) { errors.push(`${at}: expected ${types.join('|')}, got ${JSON.stringify(v)}`); return; }
    }
    if ('const' in schema && v !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not in enum`);
    if (typeof schema.minimum === 'number' && typeof v === 'number' && v < schema.minimum) errors.push(`${at}: ${v} < ${schema.minimum}`);
    if (typeof schema.pattern === 'string' && typeof v === 'string' && !new RegExp(schema.pattern, 'u').test(v)) errors.push(`${at}: '${v}' does not match ${schema.pattern}`);
    if (Array.isArray(schema.oneOf)) {
      const passing = (schema.oneOf as Schema[]).filter((s) => validate(root, v, s).length === 0).length;
      if (passing !== 1) errors.push(`${at}: matches ${passing} of oneOf`);
    }
    if (typeOk(v, 'object')) {
      const o = v as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const r of (schema.required ?? []) as string[]) if (!(r in o)) errors.push(`${at}: missing ${r}`);
      for (const [k, child] of Object.entries(o)) {
        if (k in props) check(props[k], child, `${at}.${k}`);
        else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${k}`);
      }
    }
    if (Array.isArray(v)) {
      const prefix = (schema.prefixItems ?? []) as Schema[];
      if (typeof schema.minItems === 'number' && v.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
      v.forEach((item, i) => {
        if (i < prefix.length) check(prefix[i], item, `${at}[${i}]`);
        else if (schema.items !== undefined) check(schema.items as Schema, item, `${at}[${i}]`);
      });
    }
  };
  check(schema, value, '$');
  return errors;
}
