// Where the two MCP servers live: their npm packages are dependencies of this example, started with node.
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { StdioServerConfig } from '@agent-tool-protocol/mcp-adapter';

const require = createRequire(import.meta.url);

/** The path of an npm package's bin script. */
function binOf(pkg: string): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0];
  if (!bin) throw new Error(`${pkg} has no bin script`);
  return join(dirname(manifestPath), bin);
}

/** The sample files the filesystem server may read (this example's `sample-files/`). */
export const sampleFilesDir = realpathSync(join(import.meta.dirname, '..', 'sample-files'));

export function mcpServers(dataDir = sampleFilesDir): StdioServerConfig[] {
  return [
    {
      name: 'everything',
      description: 'The MCP reference server: echo, sums, and (simulated) weather for three cities',
      command: process.execPath,
      args: [binOf('@modelcontextprotocol/server-everything'), 'stdio'],
    },
    {
      name: 'files',
      description: `Read-only view of the sample files in ${dataDir}`,
      command: process.execPath,
      args: [binOf('@modelcontextprotocol/server-filesystem'), dataDir],
    },
  ];
}
