/**
 * Checks that a value is a report by docs/report.schema.json (the schema the docs publish and the
 * package ships), with ajv rather than a hand-written checker. The validator is compiled once per
 * process, on first use (tens of milliseconds); checking a report is then a walk over it.
 *
 * The file is ReportSchema (./schema.ts, where the types come from too) written out at build time by
 * scripts/write-report-schema.js; test/report.schema-file.test.ts fails when it differs. It is read
 * here rather than importing ./schema: loading TypeBox's ~200 modules would make every
 * `require('tt-alloc-tracker')` pay for it (measured: 30 ms -> 87 ms for the package's index, node 20).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ERR_INVALID_REPORT, withCode } from '../errors';
import type { Report } from './types';

/** From dist/report/ and from lib/report/ (vitest) alike: the package root's docs/. */
const REPORT_SCHEMA_FILE = path.join(__dirname, '..', '..', 'docs', 'report.schema.json');

/** Violations named in the message; the rest are counted. */
const LISTED_VIOLATIONS = 3;

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    // Draft 2020-12 build of ajv (the schema's $schema). allErrors: the message lists several
    // violations. Compiling is the cost that matters (it runs once per process, e.g. once per CLI
    // command): ~100 ms with ajv's defaults, ~45 ms without checking the schema against the
    // meta-schema (test/aggregator.schema.test.ts does that) and without ajv's code optimisation,
    // with no measurable change to the ~1.5 ms a 400 KB report takes to check (node 20, this repo's
    // demo report). Strict mode stays on: an unknown keyword in the schema is an error.
    const Ajv2020 = require('ajv/dist/2020') as typeof import('ajv/dist/2020').default;
    const schema = JSON.parse(fs.readFileSync(REPORT_SCHEMA_FILE, 'utf8')) as object;
    validator = new Ajv2020({ allErrors: true, validateSchema: false, code: { optimize: false } }).compile(schema);
  }
  return validator;
}

/** `<JSON pointer> <ajv's message>`, with the offending name or the allowed value where ajv leaves them out. */
function violation(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(root)' : e.instancePath;
  const params = e.params as { additionalProperty?: string; allowedValue?: unknown; allowedValues?: unknown[] };
  let detail = '';
  if (e.keyword === 'additionalProperties') detail = ` '${params.additionalProperty}'`;
  else if (e.keyword === 'const') detail = ` ${JSON.stringify(params.allowedValue)}`;
  else if (e.keyword === 'enum') detail = ` (${params.allowedValues?.map((v) => JSON.stringify(v)).join(', ')})`;
  return `${at} ${e.message ?? `fails ${e.keyword}`}${detail}`;
}

/**
 * Returns `value` typed as a Report when it satisfies the schema; otherwise throws a TypeError with
 * code ERR_INVALID_REPORT: `<what>: not a valid tt-alloc-tracker report: <JSON pointer> <problem>; …`
 * naming the first three violations (and how many more there are).
 */
export function checkReport(value: unknown, what: string): Report {
  const validate = compiled();
  if (validate(value)) return value as Report;
  const errors = validate.errors ?? [];
  const listed = errors.slice(0, LISTED_VIOLATIONS).map(violation).join('; ');
  const more = errors.length > LISTED_VIOLATIONS ? ` (and ${errors.length - LISTED_VIOLATIONS} more)` : '';
  throw withCode(new TypeError(`${what}: not a valid tt-alloc-tracker report: ${listed}${more}`), ERR_INVALID_REPORT);
}
