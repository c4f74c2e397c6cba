import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { FunctionCallContext } from '@agent-tool-protocol/protocol';
import { RecordingServer } from './helpers/recording-server';

// One operation per (location, style, explode, value shape): the raw request line and headers are compared
// with the serializations in the OpenAPI 3 specification's style table.
const context: FunctionCallContext = { clientId: 'c', executionId: 'e' };
const server = new RecordingServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

type Case = [
  location: 'path' | 'query' | 'header' | 'cookie',
  style: string,
  explode: boolean,
  value: unknown,
  expected: string,
];

const array = ['blue', 'black', 'brown'];
const object = { R: 100, G: 200, B: 150 };

const cases: Case[] = [
  ['path', 'simple', false, 'blue', '/p/blue'],
  ['path', 'simple', false, array, '/p/blue,black,brown'],
  ['path', 'simple', false, object, '/p/R,100,G,200,B,150'],
  ['path', 'simple', true, object, '/p/R=100,G=200,B=150'],
  ['path', 'label', false, 'blue', '/p/.blue'],
  ['path', 'label', false, array, '/p/.blue,black,brown'],
  ['path', 'label', true, array, '/p/.blue.black.brown'],
  ['path', 'label', true, object, '/p/.R=100.G=200.B=150'],
  ['path', 'matrix', false, 'blue', '/p/;color=blue'],
  ['path', 'matrix', false, array, '/p/;color=blue,black,brown'],
  ['path', 'matrix', true, array, '/p/;color=blue;color=black;color=brown'],
  ['path', 'matrix', false, object, '/p/;color=R,100,G,200,B,150'],
  ['path', 'matrix', true, object, '/p/;R=100;G=200;B=150'],
  ['query', 'form', true, 'blue', '/p/x?color=blue'],
  ['query', 'form', true, array, '/p/x?color=blue&color=black&color=brown'],
  ['query', 'form', false, array, '/p/x?color=blue,black,brown'],
  ['query', 'form', true, object, '/p/x?R=100&G=200&B=150'],
  ['query', 'form', false, object, '/p/x?color=R,100,G,200,B,150'],
  ['query', 'spaceDelimited', false, array, '/p/x?color=blue%20black%20brown'],
  ['query', 'pipeDelimited', false, array, '/p/x?color=blue%7Cblack%7Cbrown'],
  ['query', 'deepObject', true, object, '/p/x?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150'],
  ['query', 'form', true, 'a b&c=d/é', '/p/x?color=a%20b%26c%3Dd%2F%C3%A9'],
  ['header', 'simple', false, array, 'blue,black,brown'],
  ['header', 'simple', false, object, 'R,100,G,200,B,150'],
  ['header', 'simple', true, object, 'R=100,G=200,B=150'],
  ['cookie', 'form', false, 'blue', 'color=blue'],
  ['cookie', 'form', false, array, 'color=blue%2Cblack%2Cbrown'],
];

test.each(cases)('%s %s explode=%s %j → %s', async (location, style, explode, value, expected) => {
  const parameters = [
    { name: 'color', in: location, required: location === 'path', style, explode, schema: {} },
    ...(location === 'path'
      ? []
      : [{ name: 'fixed', in: 'path', required: true, schema: { type: 'string' } }]),
  ];
  const group = await loadOpenAPI({
    name: 's',
    baseUrl: server.url,
    spec: {
      openapi: '3.0.3',
      info: { title: 's', version: '1' },
      paths: {
        [location === 'path' ? '/p/{color}' : '/p/{fixed}']: {
          get: { operationId: 'op', parameters, responses: { '204': { description: 'ok' } } },
        },
      },
    },
  });
  const input = location === 'path' ? { color: value } : { color: value, fixed: 'x' };
  await group.functions[0]!.handler(input, context);
  const request = server.last;
  if (location === 'path' || location === 'query') expect(request.url).toBe(expected);
  if (location === 'header') expect(request.headers.color).toBe(expected);
  if (location === 'cookie') expect(request.headers.cookie).toBe(expected);
});
