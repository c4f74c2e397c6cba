import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import type { FunctionCallContext } from '@agent-tool-protocol/protocol';
import { testServerConfig } from './helpers';

// The blog's spelling `mcpConnector.connect('monday', { command })` next to `connectToMCPServer`.
const ctx: FunctionCallContext = { clientId: 'client-1', executionId: 'exec-1' };

test('connect(name, config) connects like connectToMCPServer({ name, ...config })', async () => {
  const connector = new MCPConnector();
  try {
    const { name: _ignored, ...config } = testServerConfig('ignored');
    const group = await connector.connect('monday', config);
    expect(group.name).toBe('monday');
    const echo = group.functions.find((fn) => fn.name === 'echo')!;
    await expect(Promise.resolve(echo.handler({ message: 'hi' }, ctx))).resolves.toBeDefined();
    expect(connector.status().map((status) => status.name)).toEqual(['monday']);
  } finally {
    await connector.close();
  }
});
