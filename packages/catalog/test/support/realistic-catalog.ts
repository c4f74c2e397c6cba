import type { APIGroup, FunctionDef, JSONSchema } from '@agent-tool-protocol/protocol';

// About 50 functions across the four group types, shaped like real OpenAPI, MCP and custom APIs.

function fn(
  name: string,
  description: string,
  inputSchema?: JSONSchema,
  outputSchema?: JSONSchema,
): FunctionDef {
  const def: FunctionDef = { name, description, handler: async (input: unknown) => ({ name, input }) };
  if (inputSchema) def.inputSchema = inputSchema;
  if (outputSchema) def.outputSchema = outputSchema;
  return def;
}

const object = (properties: Record<string, JSONSchema>, required: string[] = []): JSONSchema => ({
  type: 'object',
  properties,
  required,
});
const str = (description?: string): JSONSchema =>
  description ? { type: 'string', description } : { type: 'string' };
const int = (description?: string): JSONSchema =>
  description ? { type: 'integer', description } : { type: 'integer' };
const repoInput = (extra: Record<string, JSONSchema> = {}, required: string[] = []) =>
  object({ owner: str('Account that owns the repository'), repo: str('Repository name'), ...extra }, [
    'owner',
    'repo',
    ...required,
  ]);

export const github: APIGroup = {
  name: 'github',
  type: 'openapi',
  description: 'GitHub REST API',
  definitions: {
    Issue: object(
      {
        number: int('Issue number'),
        title: str(),
        state: { type: 'string', enum: ['open', 'closed'] },
        assignee: { anyOf: [{ $ref: '#/$defs/SimpleUser' }, { type: 'null' }] },
        labels: { type: 'array', items: { $ref: '#/$defs/Label' } },
        created_at: { type: 'string', format: 'date-time' },
      },
      ['number', 'title', 'state'],
    ),
    SimpleUser: object({ login: str(), id: int(), site_admin: { type: 'boolean' } }, ['login', 'id']),
    Label: object({ name: str(), color: str('Hex color without #') }, ['name']),
    PullRequest: object(
      { number: int(), title: str(), merged: { type: 'boolean' }, head: { $ref: '#/$defs/Branch' } },
      ['number', 'title'],
    ),
    Branch: object({ ref: str(), sha: str(), repo: { $ref: '#/$defs/Repository' } }, ['ref', 'sha']),
    Repository: object(
      { id: int(), full_name: str(), private: { type: 'boolean' }, owner: { $ref: '#/$defs/SimpleUser' } },
      ['id', 'full_name'],
    ),
  },
  functions: [
    fn(
      'issues.create',
      'Create an issue in a repository',
      repoInput(
        {
          title: str('Issue title'),
          body: str('Issue body (Markdown)'),
          labels: { type: 'array', items: { type: 'string' } },
        },
        ['title'],
      ),
      { $ref: '#/$defs/Issue' },
    ),
    fn(
      'issues.list',
      'List issues in a repository',
      repoInput({
        state: { type: 'string', enum: ['open', 'closed', 'all'], default: 'open' },
        per_page: int(),
      }),
      {
        type: 'array',
        items: { $ref: '#/$defs/Issue' },
      },
    ),
    fn('issues.get', 'Get a single issue', repoInput({ issue_number: int() }, ['issue_number']), {
      $ref: '#/$defs/Issue',
    }),
    fn(
      'issues.update',
      'Update the title, body or state of an issue',
      repoInput({ issue_number: int(), title: str(), state: { type: 'string', enum: ['open', 'closed'] } }, [
        'issue_number',
      ]),
      { $ref: '#/$defs/Issue' },
    ),
    fn(
      'issues.createComment',
      'Add a comment to an issue or pull request',
      repoInput({ issue_number: int(), body: str() }, ['issue_number', 'body']),
    ),
    fn(
      'pulls.create',
      'Open a pull request',
      repoInput({ title: str(), head: str('Branch with the changes'), base: str('Branch to merge into') }, [
        'title',
        'head',
        'base',
      ]),
      { $ref: '#/$defs/PullRequest' },
    ),
    fn(
      'pulls.merge',
      'Merge a pull request',
      repoInput(
        { pull_number: int(), merge_method: { type: 'string', enum: ['merge', 'squash', 'rebase'] } },
        ['pull_number'],
      ),
    ),
    fn('pulls.list', 'List pull requests', repoInput(), {
      type: 'array',
      items: { $ref: '#/$defs/PullRequest' },
    }),
    fn('repos.get', 'Get a repository', repoInput(), { $ref: '#/$defs/Repository' }),
    fn('repos.listForUser', 'List public repositories of a user', object({ username: str() }, ['username']), {
      type: 'array',
      items: { $ref: '#/$defs/Repository' },
    }),
    fn('search.code', 'Search code across repositories', object({ q: str('Search query') }, ['q'])),
    fn('users.getAuthenticated', 'Get the authenticated GitHub account', undefined, {
      $ref: '#/$defs/SimpleUser',
    }),
  ],
};

export const crm: APIGroup = {
  name: 'crm',
  type: 'custom',
  description: 'Customer relationship management: contacts, companies and deals',
  functions: [
    fn(
      'users.create',
      'Create a new user account in the CRM',
      object(
        {
          email: { type: 'string', format: 'email' },
          name: str(),
          role: { type: 'string', enum: ['admin', 'member', 'viewer'] },
        },
        ['email'],
      ),
      object({ id: str(), email: str() }, ['id', 'email']),
    ),
    fn('users.get', 'Get a user by id', object({ id: str() }, ['id'])),
    fn('users.list', 'List users, newest first', object({ limit: int(), cursor: str() })),
    fn('users.delete', 'Delete a user permanently', object({ id: str() }, ['id'])),
    fn(
      'users.update',
      "Change a user's name, email or role",
      object({ id: str(), name: str(), email: str() }, ['id']),
    ),
    fn('contacts.search', 'Search contacts by name, email or company', object({ query: str() }, ['query'])),
    fn('companies.create', 'Add a company', object({ name: str(), domain: str() }, ['name'])),
    fn('deals.list', 'List open deals in the sales pipeline', object({ stage: str() })),
    fn(
      'deals.updateStage',
      'Move a deal to another pipeline stage',
      object({ dealId: str(), stage: str() }, ['dealId', 'stage']),
    ),
  ],
};

export const slack: APIGroup = {
  name: 'slack',
  type: 'oauth',
  description: 'Slack workspace messaging',
  functions: [
    fn(
      'chat.postMessage',
      'Send a message to a channel',
      object({ channel: str(), text: str(), thread_ts: str() }, ['channel', 'text']),
    ),
    fn(
      'chat.update',
      'Edit a message',
      object({ channel: str(), ts: str(), text: str() }, ['channel', 'ts', 'text']),
    ),
    fn('conversations.list', 'List channels in the workspace', object({ limit: int() })),
    fn(
      'conversations.history',
      'Fetch the message history of a channel',
      object({ channel: str(), limit: int() }, ['channel']),
    ),
    fn(
      'reactions.add',
      'Add an emoji reaction to a message',
      object({ channel: str(), timestamp: str(), name: str() }, ['channel', 'timestamp', 'name']),
    ),
    fn('users.lookupByEmail', 'Find a Slack member by email address', object({ email: str() }, ['email'])),
  ],
};

export const stripe: APIGroup = {
  name: 'stripe',
  type: 'openapi',
  description: 'Stripe payments API',
  functions: [
    fn('customers.create', 'Create a customer', object({ email: str(), name: str() })),
    fn('customers.retrieve', 'Retrieve a customer', object({ id: str() }, ['id'])),
    fn(
      'charges.create',
      'Charge a credit card or other payment source',
      object({ amount: int('Amount in cents'), currency: str(), customer: str() }, ['amount', 'currency']),
    ),
    fn('refunds.create', 'Refund a charge', object({ charge: str(), amount: int() }, ['charge'])),
    fn(
      'invoices.list',
      'List invoices',
      object({ customer: str(), status: { type: 'string', enum: ['draft', 'open', 'paid', 'void'] } }),
    ),
    fn('subscriptions.cancel', 'Cancel a subscription', object({ id: str() }, ['id'])),
  ],
};

export const filesystem: APIGroup = {
  name: 'filesystem',
  type: 'mcp',
  description: 'Local files (MCP server)',
  functions: [
    fn(
      'read-file',
      'Read the complete contents of a file',
      object({ path: str() }, ['path']),
      object({ content: str() }, ['content']),
    ),
    fn(
      'write-file',
      'Create a new file or overwrite an existing file',
      object({ path: str(), content: str() }, ['path', 'content']),
    ),
    fn('list-directory', 'List files and directories in a path', object({ path: str() }, ['path'])),
    fn(
      'move-file',
      'Move or rename a file',
      object({ source: str(), destination: str() }, ['source', 'destination']),
    ),
    fn(
      'search-files',
      'Recursively search for files matching a pattern',
      object({ path: str(), pattern: str() }, ['path', 'pattern']),
    ),
    fn('get-file-info', 'Size, timestamps and permissions of a file', object({ path: str() }, ['path'])),
    fn('delete', 'Delete a file', object({ path: str() }, ['path'])),
  ],
};

export const weather: APIGroup = {
  name: 'weather',
  type: 'custom',
  description: 'Weather forecasts',
  functions: [
    fn(
      'forecast',
      'Daily weather forecast for a city',
      object({ city: str(), days: int() }, ['city']),
      object(
        {
          days: {
            type: 'array',
            items: object(
              {
                date: { type: 'string', format: 'date' },
                highC: { type: 'number' },
                lowC: { type: 'number' },
              },
              ['date'],
            ),
          },
        },
        ['days'],
      ),
    ),
    fn(
      'current',
      'Current weather conditions at a location',
      object({ latitude: { type: 'number' }, longitude: { type: 'number' } }, ['latitude', 'longitude']),
    ),
    fn('alerts', 'Active severe weather alerts for a region', object({ region: str() }, ['region'])),
  ],
};

export const calendar: APIGroup = {
  name: 'calendar',
  type: 'oauth',
  description: 'Google Calendar',
  functions: [
    fn(
      'events.create',
      'Schedule a calendar event or meeting',
      object(
        {
          summary: str(),
          start: { type: 'string', format: 'date-time' },
          end: { type: 'string', format: 'date-time' },
          attendees: { type: 'array', items: { type: 'string', format: 'email' } },
        },
        ['summary', 'start', 'end'],
      ),
    ),
    fn(
      'events.list',
      'List upcoming calendar events',
      object({ timeMin: { type: 'string', format: 'date-time' }, maxResults: int() }),
    ),
    fn('events.delete', 'Cancel a calendar event', object({ eventId: str() }, ['eventId'])),
    fn(
      'freebusy.query',
      'Find free and busy times of attendees',
      object({ emails: { type: 'array', items: str() } }, ['emails']),
    ),
  ],
};

export const REALISTIC_GROUPS: APIGroup[] = [github, crm, slack, stripe, filesystem, weather, calendar];
