// The TypeScript programs of the original README and blog, as a user would paste them into a project of
// their own, with only the package names mapped (`@mondaydotcomorg/atp-server` → `@agent-tool-protocol/server`,
// `…/atp-mcp-adapter` → `…/mcp-adapter`, `…/atp-providers` → `…/providers`; the blog already uses ours).
// `context` declares what a snippet uses without defining it (a `server` from the block before, the
// README's own `db`…): the documents leave it implicit, so the check supplies it, typed as loosely as a user
// would. Everything in `code` is verbatim.

export interface Snippet {
  id: string;
  source: 'README' | 'blog';
  heading: string;
  context: string;
  code: string;
  /**
   * Diagnostics the snippet gets from a library that is not ATP (`line:column text`, line within `code`),
   * which any user of the original got too. They must occur, so the check stays honest.
   */
  foreign?: string[];
}

const IOREDIS_ENV_URL =
  'No overload matches this call. (ioredis: new Redis(process.env.REDIS_URL) gets string | undefined)';

const SERVER = "import { createServer } from '@agent-tool-protocol/server';\n";
const A_SERVER = `${SERVER}declare const server: ReturnType<typeof createServer>;\n`;

export const SNIPPETS: Snippet[] = [
  {
    id: 'T01',
    source: 'README',
    heading: 'Quick Start › Basic Server',
    context: '',
    code: `import { createServer } from '@agent-tool-protocol/server';

const server = createServer({
	execution: {
		timeout: 30000,
		memory: 128 * 1024 * 1024, // 128MB
	},
});

await server.start(3333);
console.log('ATP server running on http://localhost:3333');
`,
  },
  {
    id: 'T02',
    source: 'README',
    heading: 'Quick Start › With OpenAPI Integration',
    context: '',
    code: `import { createServer, loadOpenAPI } from '@agent-tool-protocol/server';

const server = createServer();

// Load OpenAPI specs
const githubAPI = await loadOpenAPI({
	url: 'https://api.github.com/openapi.json',
	name: 'github',
	auth: {
		type: 'bearer',
		token: process.env.GITHUB_TOKEN,
	},
});

server.addAPIGroup(githubAPI);

await server.start(3333);
`,
  },
  {
    id: 'T03',
    source: 'README',
    heading: 'Quick Start › With MCP Support',
    context: A_SERVER,
    code: `import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';

const mcpConnector = new MCPConnector();

const filesystemAPI = await mcpConnector.connectToMCPServer({
	name: 'filesystem',
	command: 'npx',
	args: ['-y', '@modelcontextprotocol/server-filesystem', '/path/to/files'],
});

server.addAPIGroup(filesystemAPI);
`,
  },
  {
    id: 'T04',
    source: 'README',
    heading: 'Quick Start › With Semantic Search',
    context: SERVER,
    code: `import { OpenAIEmbeddings } from '@langchain/openai';

const embeddings = new OpenAIEmbeddings();

const server = createServer({
	discovery: {
		embeddings, // Enable semantic search
	},
});
`,
  },
  {
    id: 'T05',
    source: 'README',
    heading: 'Quick Start › With Redis Cache',
    context: SERVER,
    code: `import { RedisCache } from '@agent-tool-protocol/providers';
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL);

const server = createServer({
	executionState: {
		ttl: 3600, // 1 hour
	},
});

server.setCacheProvider(
	new RedisCache({
		redis,
		keyPrefix: 'atp:',
		defaultTTL: 3600,
	})
);

await server.start(3333);
`,
    foreign: [`4:25 ${IOREDIS_ENV_URL}`],
  },
  {
    id: 'T06',
    source: 'README',
    heading: 'Quick Start › With Provenance Security',
    context: SERVER,
    code: `import {
	ProvenanceMode,
	preventDataExfiltration,
	requireUserOrigin,
} from '@agent-tool-protocol/server';

const server = createServer({
	execution: {
		provenanceMode: ProvenanceMode.PROXY, // or AST
		securityPolicies: [preventDataExfiltration, requireUserOrigin],
	},
});
`,
  },
  {
    id: 'T07',
    source: 'README',
    heading: 'Quick Start › With Audit Logging',
    context: SERVER,
    code: `import { JSONLAuditSink } from '@agent-tool-protocol/providers';

const server = createServer({
	audit: {
		enabled: true,
		sinks: [
			new JSONLAuditSink({
				path: './audit-logs',
				rotateDaily: true,
			}),
		],
	},
});
`,
  },
  {
    id: 'T08',
    source: 'README',
    heading: 'Quick Start › With OpenTelemetry',
    context: SERVER,
    code: `const server = createServer({
	otel: {
		enabled: true,
		serviceName: 'my-atp-server',
		traceEndpoint: 'http://localhost:4318/v1/traces',
		metricsEndpoint: 'http://localhost:4318/v1/metrics',
	},
});
`,
  },
  {
    id: 'T09',
    source: 'README',
    heading: 'Custom APIs › Add Custom Functions',
    context: `${A_SERVER}declare const db: { users: { create(input: unknown): Promise<unknown> } };\n`,
    code: `server.addAPIGroup({
	name: 'database',
	type: 'custom',
	description: 'Database operations',
	functions: [
		{
			name: 'createUser',
			description: 'Create a new user',
			inputSchema: {
				type: 'object',
				properties: {
					name: { type: 'string' },
					email: { type: 'string' },
				},
				required: ['name', 'email'],
			},
			handler: async (input) => {
				const user = await db.users.create(input);
				return user;
			},
		},
	],
});
`,
  },
  {
    id: 'T10',
    source: 'README',
    heading: 'Custom APIs › OAuth Integration',
    context: `${A_SERVER}declare function sendGmailEmail(input: unknown, accessToken: string): Promise<unknown>;\n`,
    code: `import { GoogleOAuthProvider } from '@agent-tool-protocol/providers';

const oauthProvider = new GoogleOAuthProvider({
	clientId: process.env.GOOGLE_CLIENT_ID,
	clientSecret: process.env.GOOGLE_CLIENT_SECRET,
	redirectUri: 'http://localhost:3333/oauth/callback',
	scopes: ['https://www.googleapis.com/auth/userinfo.email'],
});

server.addAPIGroup({
	name: 'gmail',
	type: 'oauth',
	oauthProvider,
	functions: [
		{
			name: 'sendEmail',
			description: 'Send email via Gmail',
			inputSchema: {
				/* ... */
			},
			handler: async (input, credentials) => {
				// Use credentials.accessToken
				return await sendGmailEmail(input, credentials.accessToken);
			},
		},
	],
});
`,
  },
  {
    id: 'T11',
    source: 'README',
    heading: 'Configuration (interface ServerConfig)',
    context: `import type { AuditSink } from '@agent-tool-protocol/protocol';
declare const policy: ServerConfig extends { execution?: { securityPolicies?: (infer P)[] } } ? P : never;
declare const sink: AuditSink;
declare const embeddings: { embedQuery(text: string): Promise<number[]>; embedDocuments(texts: string[]): Promise<number[][]> };
`,
    code: `import { createServer, ProvenanceMode, type ServerConfig } from '@agent-tool-protocol/server';

// Every field of the README's ServerConfig, each optional.
const full: ServerConfig = {
	execution: { timeout: 30000, memory: 128 * 1024 * 1024, llmCalls: 50, provenanceMode: ProvenanceMode.NONE, securityPolicies: [policy] },
	clientInit: { tokenTTL: 3600, tokenRotation: 1800 },
	executionState: { ttl: 3600, maxPauseDuration: 600 },
	discovery: { embeddings },
	audit: { enabled: true, sinks: [sink] },
	otel: { enabled: false, serviceName: 'svc', traceEndpoint: 'http://localhost:4318/v1/traces', metricsEndpoint: 'http://localhost:4318/v1/metrics' },
};
const partial: ServerConfig = { execution: { timeout: 60000 } };
const empty: ServerConfig = {};
createServer(full);
createServer(partial);
createServer(empty);
`,
  },
  {
    id: 'T12',
    source: 'README',
    heading: 'API Groups (interface APIGroupConfig)',
    context: A_SERVER,
    code: `import type { APIGroupConfig, AuthConfig, CustomFunctionDef } from '@agent-tool-protocol/server';

const fn: CustomFunctionDef = {
	name: 'ping',
	description: 'Ping',
	inputSchema: { type: 'object', properties: {} },
	handler: async () => 'pong',
};
const auth: AuthConfig = { scheme: 'bearer', envVar: 'PING_TOKEN' };
const group: APIGroupConfig = {
	name: 'pinger',
	type: 'custom',
	description: 'Pings',
	baseUrl: 'http://localhost:9999',
	auth,
	functions: [fn],
};
const kinds: APIGroupConfig['type'][] = ['openapi', 'custom', 'mcp', 'oauth'];
server.addAPIGroup(group);
void kinds;
`,
  },
  {
    id: 'T13',
    source: 'README',
    heading: 'Middleware',
    context: A_SERVER,
    code: `import type { Middleware, RequestContext } from '@agent-tool-protocol/server';

const loggingMiddleware: Middleware = async (context: RequestContext, next) => {
	console.log(\`\${context.method} \${context.path}\`);
	const start = Date.now();

	await next();

	console.log(\`Completed in \${Date.now() - start}ms\`);
};

server.use(loggingMiddleware);
`,
  },
  {
    id: 'T14',
    source: 'README',
    heading: 'Server Lifecycle',
    context: `import type { APIGroup, AuthProvider, CacheProvider } from '@agent-tool-protocol/protocol';
import type { Middleware, ServerConfig } from '@agent-tool-protocol/server';
${SERVER}declare const config: ServerConfig;
declare const cache: CacheProvider;
declare const auth: AuthProvider;
declare const apiGroup: APIGroup;
declare const middleware: Middleware;
`,
    code: `const server = createServer(config);

// Setup
server.setCacheProvider(cache);
server.setAuthProvider(auth);
server.addAPIGroup(apiGroup);
server.use(middleware);

// Start
await server.start(3333);

// Shutdown
await server.shutdown();
`,
  },
  {
    id: 'T15',
    source: 'README',
    heading: 'Production Deployment › With Redis + PostgreSQL',
    context: SERVER,
    code: `import { RedisCache } from '@agent-tool-protocol/providers';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL);
const cache = new RedisCache({ redis });

const server = createServer({
	execution: {
		timeout: 60000,
		memory: 256 * 1024 * 1024,
	},
	executionState: {
		ttl: 7200, // 2 hours
	},
	audit: {
		enabled: true,
	},
	otel: {
		enabled: true,
	},
});

server.setCacheProvider(cache);

await server.start(process.env.PORT || 3333);
`,
    foreign: [`5:25 ${IOREDIS_ENV_URL}`],
  },
  {
    id: 'T16',
    source: 'blog',
    heading: 'Getting Started: Stop Building Gateways',
    context: `import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
declare const mcpConnector: MCPConnector;
`,
    code: `import { createServer } from '@agent-tool-protocol/server';
import { openapi } from '@agent-tool-protocol/openapi';

const server = createServer();

server.use(
  // Official APIs with built-in output schemas
  openapi.fromSpec('stripe', {
    url: 'https://api.stripe.com/openapi.json',
    auth: { scheme: 'bearer', envVar: 'STRIPE_KEY' }
  }),
  
  openapi.fromSpec('github', {
    url: 'https://api.github.com/openapi.json',
    auth: { scheme: 'bearer', envVar: 'GITHUB_TOKEN' }
  }),
  
  // Your existing MCPs (if you have them)
  mcpConnector.connect('monday', { command: 'monday-stdio-mcp' })
);

await server.listen(3000);
`,
  },
];
