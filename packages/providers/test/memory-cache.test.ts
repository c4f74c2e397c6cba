import { MemoryCache as ProtocolMemoryCache } from '@agent-tool-protocol/protocol';
import { MemoryCache } from '@agent-tool-protocol/providers';
import { describeCacheProvider } from './cache-provider-suite';

describeCacheProvider('MemoryCache', () => new MemoryCache());

it('re-exports the protocol MemoryCache rather than a copy', () => {
  expect(MemoryCache).toBe(ProtocolMemoryCache);
});
