import { join } from 'node:path';
import { loadGraphQL } from '@agent-tool-protocol/graphql';
import { type APIGroup, type JSONSchema, silentLogger } from '@agent-tool-protocol/protocol';
import { buildClientSchema, parse, validate } from 'graphql';
import { schemaProblems } from './helpers/output-schema';

// GitHub's public schema as published on npm: the SDL (which defines two fields twice) and the
// introspection JSON (272 root fields). No network: a recording fetch answers every call.
// The package exports only an ESM entry, so its files are found through this package's node_modules.
const schemaDir = join(__dirname, '../node_modules/@octokit/graphql-schema');
const sdlPath = join(schemaDir, 'schema.graphql');
const jsonPath = join(schemaDir, 'schema.json');
const ENDPOINT = 'https://api.github.com/graphql';

const sent: { query: string; variables: Record<string, unknown> }[] = [];
const recordingFetch: typeof fetch = async (_url, init) => {
  sent.push(JSON.parse(String(init?.body)));
  return new Response(JSON.stringify({ data: null }), { headers: { 'content-type': 'application/json' } });
};

/** A value for a required input: the first enum value, an empty list, required fields of input objects. */
function sample(schema: JSONSchema, definitions: Record<string, JSONSchema>): unknown {
  if (typeof schema.$ref === 'string')
    return sample(definitions[schema.$ref.slice('#/$defs/'.length)]!, definitions);
  if (Array.isArray(schema.anyOf)) return sample(schema.anyOf[0] as JSONSchema, definitions);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  if (type === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, JSONSchema>;
    return Object.fromEntries(
      ((schema.required ?? []) as string[]).map((key) => [key, sample(properties[key]!, definitions)]),
    );
  }
  return 'x';
}

describe("GitHub's published schema", () => {
  let fromJson: APIGroup;
  let fromSdl: APIGroup;
  const warnings: object[] = [];
  beforeAll(async () => {
    fromJson = await loadGraphQL(jsonPath, { name: 'github', url: ENDPOINT, fetch: recordingFetch });
    fromSdl = await loadGraphQL(sdlPath, {
      name: 'github',
      url: ENDPOINT,
      fetch: recordingFetch,
      logger: { ...silentLogger, warn: (object) => warnings.push(object) },
    });
  }, 60_000);

  test('the introspection JSON gives one function per root field: 272', () => {
    expect(fromJson.functions).toHaveLength(272);
    expect(fromJson.metadata).toMatchObject({ queries: 30, mutations: 242 });
    const names = fromJson.functions.map((fn) => fn.name);
    expect(names).toEqual(
      expect.arrayContaining(['query_repository', 'query_viewer', 'query_search', 'mutation_createIssue']),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  test('the SDL loads although it defines fields twice; the duplicates are reported', () => {
    expect(warnings).toEqual([
      {
        group: 'github',
        duplicates: [
          'EnterpriseOwnerInfo.repositoryDeployKeySetting',
          'EnterpriseOwnerInfo.repositoryDeployKeySettingOrganizations',
        ],
      },
    ]);
    expect(fromSdl.functions.length).toBeGreaterThanOrEqual(272);
  });

  test('metadata: queries read, mutations write, Relay connections with first/after are pageable', () => {
    const byName = new Map(fromJson.functions.map((fn) => [fn.name, fn]));
    expect(byName.get('query_repository')?.metadata).toMatchObject({
      operationType: 'read',
      returnType: 'Repository',
    });
    expect(byName.get('mutation_createIssue')?.metadata).toMatchObject({
      operationType: 'write',
      returnType: 'CreateIssuePayload',
    });
    expect(byName.get('query_search')?.metadata?.pagination).toMatchObject({
      style: 'relay',
      items: 'nodes',
    });
    expect(byName.get('query_repository')?.metadata?.pagination).toBeUndefined();
    const pageable = fromJson.functions
      .filter((fn) => fn.metadata?.pagination !== undefined)
      .map((fn) => fn.name);
    expect(pageable).toEqual([
      'query_marketplaceListings',
      'query_search',
      'query_securityAdvisories',
      'query_securityVulnerabilities',
      'query_sponsorables',
    ]);
    expect(fromJson.functions.filter((fn) => fn.metadata?.operationType === 'write')).toHaveLength(242);
  });

  test('input and output schemas are valid JSON Schema with no dangling $ref', () => {
    expect(schemaProblems(fromJson)).toEqual([]);
  }, 60_000);

  test('every function’s default document validates against the schema, with arguments as variables', async () => {
    const schema = buildClientSchema(require(jsonPath));
    const definitions = fromJson.definitions ?? {};
    sent.length = 0;
    for (const fn of fromJson.functions) {
      const input = sample(
        { ...fn.inputSchema, required: fn.inputSchema?.required ?? [] },
        definitions,
      ) as Record<string, unknown>;
      await fn.handler(input, { clientId: 'c', executionId: 'e' });
    }
    expect(sent).toHaveLength(272);
    const invalid = sent
      .map(({ query }) => ({
        query: query.slice(0, 80),
        errors: validate(schema, parse(query)).map((e) => e.message),
      }))
      .filter((entry) => entry.errors.length > 0);
    expect(invalid).toEqual([]);
    const repository = sent.find(({ query }) => query.startsWith('query github_query_repository('))!;
    expect(repository.query).toMatch(
      /^query github_query_repository\(\$owner: String!, \$name: String!\) \{/,
    );
    expect(repository.variables).toEqual({ owner: 'x', name: 'x' });
  }, 60_000);

  test('agent-chosen fields are checked against GitHub’s types', async () => {
    const repository = fromJson.functions.find((fn) => fn.name === 'query_repository')!;
    await expect(
      Promise.resolve(
        repository.handler(
          {
            owner: 'octocat',
            name: 'hello-world',
            _fields: 'stargazerCount issues(first: 3, states: OPEN) { nodes { title author { login } } }',
          },
          { clientId: 'c', executionId: 'e' },
        ),
      ),
    ).resolves.toBeNull();
    await expect(
      Promise.resolve(
        repository.handler({ owner: 'o', name: 'n', _fields: 'stars' }, { clientId: 'c', executionId: 'e' }),
      ),
    ).rejects.toThrow('Cannot query field "stars" on type "Repository".');
  });
});
