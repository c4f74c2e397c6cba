import type { ClientToolDefinition } from '@agent-tool-protocol/protocol';
import type { InspectorAPI } from './api.js';
import { byId, clearNotice, errorMessage, notify } from './dom.js';

function checked(id: string): boolean {
  return byId<HTMLInputElement>(id).checked;
}

function clientTools(): ClientToolDefinition[] {
  const text = byId<HTMLTextAreaElement>('client-tools').value.trim();
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed))
    throw new Error('Client tools must be a JSON array of {name, description?, inputSchema?}.');
  return parsed as ClientToolDefinition[];
}

/** Connecting: `POST /api/init` from the page, or a client id and token pasted in. Secrets never shown. */
export class Connection {
  constructor(
    private readonly api: InspectorAPI,
    private readonly onConnected: () => void,
  ) {}

  bind(): void {
    byId<HTMLFormElement>('init-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.connect();
    });
    byId<HTMLFormElement>('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const clientId = byId<HTMLInputElement>('token-client-id').value.trim();
      const token = byId<HTMLInputElement>('token-value');
      if (!clientId || !token.value.trim()) {
        notify('Enter both the client id and its token.');
        return;
      }
      this.api.useToken(clientId, token.value.trim());
      token.value = '';
      this.connected('token entered');
    });
    byId('disconnect').addEventListener('click', () => {
      this.api.disconnect();
      this.render();
    });
  }

  async connect(): Promise<void> {
    try {
      const authorization = byId<HTMLInputElement>('init-authorization');
      await this.api.init({
        services: {
          hasLLM: checked('service-llm'),
          hasApproval: checked('service-approval'),
          hasEmbedding: checked('service-embedding'),
        },
        tools: clientTools(),
        ...(authorization.value ? { initAuthorization: authorization.value } : {}),
      });
      authorization.value = '';
      this.connected('init');
    } catch (error) {
      notify(`Could not connect: ${errorMessage(error)}`);
    }
  }

  private connected(how: string): void {
    clearNotice();
    this.render(how);
    byId<HTMLDetailsElement>('connect-panel').open = false;
    this.onConnected();
  }

  render(how?: string): void {
    const status = byId('connection-status');
    const clientId = this.api.clientId;
    if (!clientId) {
      status.textContent = 'Not connected';
      status.dataset.connected = 'false';
      return;
    }
    const expires = this.api.expiresAt
      ? `, token expires ${new Date(this.api.expiresAt).toLocaleTimeString()}`
      : '';
    status.textContent = `Connected as ${clientId}${how ? ` (${how})` : ''}${expires}`;
    status.dataset.connected = 'true';
  }
}
