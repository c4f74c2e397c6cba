import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { AgentToolProtocolServer } from '@agent-tool-protocol/server';
import { fakeLLM } from './fake-llm';

/**
 * Starts a server built by a README snippet on a free port (the README says `start(3333)`; tests use port 0
 * so they never collide) and hands out initialised clients.
 */
export async function listening(server: AgentToolProtocolServer): Promise<Started> {
  await server.start(0);
  return new Started(server);
}

export class Started {
  constructor(readonly server: AgentToolProtocolServer) {}

  get url(): string {
    return this.server.url!;
  }

  /** A client with the fake LLM, an approver that says yes, and a deterministic embedding model. */
  async client(configure?: (client: AgentToolProtocolClient) => void): Promise<AgentToolProtocolClient> {
    const client = new AgentToolProtocolClient({ baseUrl: this.url });
    client.provideLLM(fakeLLM());
    client.provideApproval(async () => ({ approved: true }));
    client.provideEmbedding({ embed: async (text) => embedText(text) });
    configure?.(client);
    await client.init({ name: 'original-docs-suite' });
    return client;
  }

  close(): Promise<void> {
    return this.server.shutdown(1_000);
  }
}

/** A bag-of-letters vector: similar texts get similar vectors, with no model and no network. */
export function embedText(text: string): number[] {
  const vector = new Array<number>(26).fill(0);
  for (const char of text.toLowerCase()) {
    const index = char.charCodeAt(0) - 97;
    if (index >= 0 && index < 26) vector[index]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
