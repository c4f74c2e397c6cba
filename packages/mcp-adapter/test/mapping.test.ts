import {
  assignAliases,
  MCPConnector,
  mapToolResult,
  operationTypeOf,
  parseServerConfig,
  parseTextContent,
  toIdentifier,
  toolMetadata,
} from '@agent-tool-protocol/mcp-adapter';
import { ErrorCode, isATPError, ToolCallError, ValidationError } from '@agent-tool-protocol/protocol';

describe('tool name aliases', () => {
  it('turns non-identifiers into identifiers', () => {
    expect(toIdentifier('read-file')).toBe('read_file');
    expect(toIdentifier('fs/read.v2')).toBe('fs_read_v2');
    expect(toIdentifier('2fa')).toBe('_2fa');
    expect(toIdentifier('')).toBe('_');
    expect(toIdentifier('get--user')).toBe('get_user');
  });

  it('never keeps a name that would break the api proxy', () => {
    expect([...assignAliases(['then', 'constructor', '__proto__', 'then_'])]).toEqual([
      ['then_', 'then_'],
      ['then', 'then__2'],
      ['constructor', 'constructor_'],
      ['__proto__', '__proto___'],
    ]);
  });

  it('keeps real identifiers and numbers colliding aliases deterministically', () => {
    const aliases = assignAliases(['read-file', 'read_file', 'read.file', 'getUser']);
    expect(Object.fromEntries(aliases)).toEqual({
      read_file: 'read_file',
      'read-file': 'read_file_2',
      'read.file': 'read_file_3',
      getUser: 'getUser',
    });
  });
});

describe('annotations → metadata', () => {
  it('maps hints to operation types, destructive winning', () => {
    expect(operationTypeOf({ readOnlyHint: true })).toBe('read');
    expect(operationTypeOf({ destructiveHint: true })).toBe('destructive');
    expect(operationTypeOf({ readOnlyHint: true, destructiveHint: true })).toBe('destructive');
    expect(operationTypeOf({ readOnlyHint: false, destructiveHint: false })).toBe('write');
    expect(operationTypeOf(undefined)).toBe('write');
  });

  it('keeps the original name and the raw annotations', () => {
    const metadata = toolMetadata(
      {
        name: 'delete-all',
        inputSchema: { type: 'object' },
        annotations: { destructiveHint: true, title: 'Nuke' },
      },
      'files',
    );
    expect(metadata).toEqual({
      operationType: 'destructive',
      originalName: 'delete-all',
      mcpServer: 'files',
      tags: ['mcp', 'files'],
      title: 'Nuke',
      annotations: { destructiveHint: true, title: 'Nuke' },
    });
  });
});

describe('result mapping', () => {
  it('parses text as JSON only when it starts with { or [ and parses', () => {
    expect(parseTextContent(' {"a":1}')).toEqual({ a: 1 });
    expect(parseTextContent('[1,2]')).toEqual([1, 2]);
    expect(parseTextContent('42')).toBe('42');
    expect(parseTextContent('true')).toBe('true');
    expect(parseTextContent('"quoted"')).toBe('"quoted"');
    expect(parseTextContent('{broken')).toBe('{broken');
  });

  it('prefers structuredContent, unwraps a single block and lists several', () => {
    expect(
      mapToolResult({ content: [{ type: 'text', text: 'x' }], structuredContent: { y: 1 } }, 't'),
    ).toEqual({
      y: 1,
    });
    expect(mapToolResult({ content: [{ type: 'text', text: 'x' }] }, 't')).toBe('x');
    expect(mapToolResult({ content: [] }, 't')).toBeNull();
    expect(
      mapToolResult(
        {
          content: [
            { type: 'text', text: '[1]' },
            { type: 'audio', mimeType: 'audio/wav', data: 'UklG' },
          ],
        },
        't',
      ),
    ).toEqual([[1], { type: 'audio', mimeType: 'audio/wav', data: 'UklG' }]);
  });

  it('throws a ToolCallError carrying the tool text on isError', () => {
    let caught: unknown;
    try {
      mapToolResult({ isError: true, content: [{ type: 'text', text: 'no such file' }] }, 'fs.read');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ToolCallError);
    expect(caught).toMatchObject({
      code: ErrorCode.TOOL_ERROR,
      message: 'MCP tool fs.read failed: no such file',
      details: { tool: 'fs.read', toolMessage: 'no such file' },
    });
  });
});

describe('config validation', () => {
  it('names the bad field', () => {
    expect(() => parseServerConfig({ name: 'bad-name', command: 'x' })).toThrow(
      /name: must be a JavaScript identifier/,
    );
    expect(() => parseServerConfig({ name: 'x', url: 'ftp://example.com' })).toThrow(
      /url: must be an http\(s\) URL/,
    );
    expect(() => parseServerConfig({ name: 'x', command: 'node', args: 'a' })).toThrow(/args/);
    expect(() => parseServerConfig({ name: 'x' })).toThrow(/`command`.*`url`/);
    expect(() => parseServerConfig({ name: 'x', command: 'node', bogus: 1 })).toThrow(/bogus/);
    try {
      parseServerConfig({ name: 'x', url: 'nope' });
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(isATPError(error) && error.code).toBe(ErrorCode.VALIDATION_ERROR);
    }
  });

  it('validates connector options', () => {
    expect(() => new MCPConnector({ callTimeoutMs: -1 })).toThrow(/callTimeoutMs/);
    expect(() => new MCPConnector({ restart: { maxAttempts: -2 } } as never)).toThrow(/restart\.maxAttempts/);
  });
});
