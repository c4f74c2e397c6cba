// Input validation (docs/validation.md): the cost per call of checking a 10-field object against its
// schema, and what compiling GitHub's 1,223 operation schemas costs (lazily, on each function's first
// call, or all at once with compileValidators).
import { createRequire } from 'node:module';
import { Catalog } from '@agent-tool-protocol/catalog';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { type BenchRow, type BenchScale, type BenchSuite, row, sample } from '../measure.ts';

const require = createRequire(import.meta.url);

const USER_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    email: { type: 'string', format: 'email' },
    age: { type: 'integer', minimum: 0, maximum: 150 },
    tier: { type: 'string', enum: ['free', 'pro', 'enterprise'] },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
    address: {
      type: 'object',
      properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
      required: ['city'],
    },
    active: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    website: { type: 'string', format: 'uri' },
  },
  required: ['id', 'name', 'email'],
  additionalProperties: false,
};

const VALID_USER = {
  id: '6f1c2b9e-8d3a-4e5f-9a7b-1c2d3e4f5a6b',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  age: 36,
  tier: 'pro',
  tags: ['math', 'engines'],
  address: { city: 'London', zip: '12345' },
  active: true,
  createdAt: '2024-05-01T12:00:00Z',
  website: 'https://example.com/ada',
};

const INVALID_USER = { ...VALID_USER, email: 'ada-at-example', tier: 'gold', age: -1 };

/** Per-call time in ms of `fn`, from batches of `batch` calls (one call is too short to time alone). */
function perCall(samples: number, batch: number, fn: () => void): Promise<number[]> {
  return sample(samples, async () => {
    for (let i = 0; i < batch; i++) fn();
  }).then((durations) => durations.map((ms) => ms / batch));
}

function usersGroup(): APIGroup {
  return {
    name: 'crm',
    type: 'custom',
    functions: [{ name: 'users.create', inputSchema: USER_SCHEMA, handler: (input) => input }],
  };
}

async function perCallRows(full: boolean): Promise<BenchRow[]> {
  const catalog = new Catalog();
  catalog.addGroup(usersGroup());
  const validate = catalog.resolve('crm.users.create')!.validateInput!;
  const samples = full ? 200 : 5;
  const valid = await perCall(samples, 1000, () => validate(VALID_USER));
  const invalid = await perCall(samples, full ? 200 : 10, () => {
    try {
      validate(INVALID_USER);
    } catch {
      // the error (with its message) is what is measured
    }
  });
  return [
    row(
      'input validation, valid 10-field object',
      valid,
      'µs',
      'p50 ≤ 5 µs',
      'uuid, email, date-time and uri formats, enum, bounds, nested object, array, additionalProperties: false',
    ),
    row(
      'input validation, 10-field object with 3 mistakes',
      invalid,
      'µs',
      '–',
      'every problem found and described in the ValidationError message',
    ),
  ];
}

async function githubRows(full: boolean): Promise<BenchRow[]> {
  const group = await loadOpenAPI({
    name: 'github',
    path: require.resolve('@octokit/openapi/generated/api.github.com.json'),
  });
  const addGroup = (validateInputs: boolean) =>
    sample(
      full ? 5 : 1,
      async () => {
        new Catalog({ validateInputs }).addGroup(group);
      },
      1,
    );
  const withoutChecks = await addGroup(false);
  const withChecks = await addGroup(true);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

  // The first call of each function compiles its input schema (lazily).
  const catalog = new Catalog();
  catalog.addGroup(group);
  const functions = full ? group.functions : group.functions.slice(0, 25);
  const firstCalls: number[] = [];
  for (const fn of functions) {
    const validate = catalog.resolve(`github.${fn.name}`)!.validateInput!;
    const started = performance.now();
    try {
      validate({});
    } catch {
      // most operations have required parameters
    }
    firstCalls.push(performance.now() - started);
  }
  const rows: BenchRow[] = [
    {
      name: `GitHub (${group.functions.length} operations): addGroup, input validation on`,
      p50: median(withChecks),
      p99: null,
      unit: 'ms',
      target: '≤ 300 ms more than off',
      note: `off: ${median(withoutChecks).toFixed(0)} ms; schemas compile lazily, on each function's first call`,
    },
    row(
      `GitHub: first call of a function (compiles its input schema)`,
      firstCalls,
      'ms',
      '–',
      `${functions.length} functions; later calls reuse the compiled check`,
    ),
  ];
  if (full) {
    const eager = new Catalog({ validateOutputs: 'warn' });
    eager.addGroup(group);
    const started = performance.now();
    const report = eager.compileValidators();
    rows.push({
      name: 'GitHub: compileValidators (every input and output schema at once)',
      p50: performance.now() - started,
      p99: null,
      unit: 'ms',
      target: '–',
      note: `${report.inputs.compiled}/${report.functions} inputs and ${report.outputs.compiled}/${report.functions} outputs compile; optional, e.g. at startup`,
    });
  }
  return rows;
}

export const validationSuite: BenchSuite = {
  name: 'validation',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    return [...(await perCallRows(full)), ...(await githubRows(full))];
  },
};
