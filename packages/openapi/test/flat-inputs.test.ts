import type { APIGroup, FunctionCallContext } from '@agent-tool-protocol/protocol';
import { loadOpenAPI } from '../src/index';
import { RecordingServer } from './helpers/recording-server';
import { compileWithDefinitions } from './helpers/schemas';

// Request bodies are taken flat, as Octokit and the original ATP loader take them
// (`issues.create({ owner, repo, title, body, labels })`), with the nested `{ body }` form still accepted where
// no input is named `body`. The input schema describes exactly the accepted shapes.

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'Tracker', version: '1' },
  paths: {
    '/repos/{owner}/{repo}/issues': {
      post: {
        operationId: 'createIssue',
        parameters: [
          { name: 'owner', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'repo', in: 'path', required: true, schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['title'],
                properties: {
                  title: { type: 'string' },
                  body: { type: 'string' },
                  labels: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
        responses: {
          '201': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/projects/{name}': {
      put: {
        operationId: 'renameProject',
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string' }, private: { type: 'boolean' } },
              },
            },
          },
        },
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/tags': {
      post: {
        operationId: 'addTags',
        requestBody: {
          content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } },
        },
        responses: { '204': { description: 'ok' } },
      },
    },
  },
};

const context: FunctionCallContext = { clientId: 'c', executionId: 'e' };
let api: RecordingServer;
let group: APIGroup;
const fn = (name: string) => group.functions.find((f) => f.name === name)!;
const call = (name: string, input: unknown) => fn(name).handler(input, context);
const sentBody = () => JSON.parse(api.last.body.toString('utf8')) as unknown;

beforeAll(async () => {
  api = await new RecordingServer().start();
  group = await loadOpenAPI({ name: 'tracker', spec: SPEC, baseUrl: api.url, retry: false });
});
afterAll(() => api.stop());

test('body fields are inputs of their own and are sent as the JSON body', async () => {
  await call('createIssue', {
    owner: 'o',
    repo: 'r',
    title: 'Broken build',
    body: 'Details',
    labels: ['bug'],
  });
  expect(api.last.path).toBe('/repos/o/r/issues');
  expect(api.last.headers['content-type']).toMatch(/^application\/json/);
  expect(sentBody()).toEqual({ title: 'Broken build', body: 'Details', labels: ['bug'] });
});

test('a body field named `body` means there is no nested form: the schema is flat only', () => {
  expect(fn('createIssue').inputSchema).toEqual({
    type: 'object',
    additionalProperties: false,
    properties: {
      owner: { type: 'string' },
      repo: { type: 'string' },
      title: { type: 'string' },
      body: { type: 'string' },
      labels: { type: 'array', items: { type: 'string' } },
    },
    required: ['owner', 'repo', 'title'],
  });
});

test('a body field that collides with a parameter is taken as body_<name>', async () => {
  const [flat] = fn('renameProject').inputSchema!.anyOf as Array<{ properties: object; required: string[] }>;
  expect(Object.keys(flat!.properties)).toEqual(['name', 'body_name', 'private']);
  expect(flat!.required).toEqual(['name', 'body_name']);
  await call('renameProject', { name: 'old', body_name: 'new', private: true });
  expect(api.last.path).toBe('/projects/old');
  expect(sentBody()).toEqual({ name: 'new', private: true });
});

test('the nested { body } form is still accepted where unambiguous, and the schema allows exactly both forms', async () => {
  await call('renameProject', { name: 'old', body: { name: 'newer' } });
  expect(sentBody()).toEqual({ name: 'newer' });
  const validate = compileWithDefinitions(group, fn('renameProject').inputSchema!);
  expect(validate({ name: 'old', body_name: 'new' })).toBe(true);
  expect(validate({ name: 'old', body: { name: 'new' } })).toBe(true);
  expect(validate({ name: 'old', body: { name: 'new' }, private: true })).toBe(false);
  expect(validate({ name: 'old' })).toBe(false);
});

test('mixing both forms is a clear error', async () => {
  await expect(call('renameProject', { name: 'old', body: { name: 'n' }, private: true })).rejects.toThrow(
    /either as fields \(private\) or as "body", not both/,
  );
});

test('a missing required body field is named', async () => {
  await expect(call('createIssue', { owner: 'o', repo: 'r', labels: [] })).rejects.toThrow(
    /missing required input "title"/,
  );
});

test('a body that is not an object stays whole under `body`', async () => {
  expect(fn('addTags').inputSchema).toMatchObject({ properties: { body: { type: 'array' } } });
  await call('addTags', { body: ['a', 'b'] });
  expect(sentBody()).toEqual(['a', 'b']);
});

test('auth may name its scheme `type`, as the original README writes it', async () => {
  const withType = await loadOpenAPI({
    name: 'tracker',
    spec: SPEC,
    baseUrl: api.url,
    retry: false,
    auth: { type: 'bearer', token: 'tok_123' },
  });
  await withType.functions.find((f) => f.name === 'addTags')!.handler({ body: ['x'] }, context);
  expect(api.last.headers.authorization).toBe('Bearer tok_123');
  await expect(
    loadOpenAPI({ name: 't', spec: SPEC, auth: { type: 'bearer', scheme: 'basic' } as never }),
  ).rejects.toThrow(/auth/);
});
