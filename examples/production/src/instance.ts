// One ATP server instance. main.ts starts two of them; both share Redis, the JWT secret and the
// OAuth encryption key, so either can serve any request. Configuration comes from the environment.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { JSONLAuditSink, OAuth2Provider, RedisCache } from '@agent-tool-protocol/providers';
import { createServer } from '@agent-tool-protocol/server';
import { createOrdersAPI, createProfileAPI } from './apis.ts';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from './fake-oauth-provider.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`The environment variable ${name} is required.`);
  return value;
};

const name = env('INSTANCE_NAME');
const publicUrl = env('PUBLIC_URL');
const providerUrl = env('OAUTH_PROVIDER_URL');

const cache = new RedisCache({ redis: env('REDIS_URL'), keyPrefix: 'atp:' });
// One audit file per instance (two processes must never rotate the same file).
const audit = new JSONLAuditSink({
  path: join(env('AUDIT_DIR'), `audit-${name}-${hostname()}.jsonl`),
  rotateDaily: true,
  maxSizeBytes: 50 * 1024 * 1024,
});

const server = createServer({
  mode: 'production', // refuses to start without a JWT secret
  cache, // sessions, paused executions, journals, plans and OAuth tokens: shared by both instances
  auth: { jwtSecret: env('ATP_JWT_SECRET') },
  audit: { enabled: true, sinks: [audit] },
  execution: { timeout: 30_000, llmCalls: 20, isolatePoolSize: 1 },
  oauth: {
    providers: [
      new OAuth2Provider({
        name: 'acme',
        clientId: FAKE_CLIENT_ID,
        clientSecret: FAKE_CLIENT_SECRET,
        authorizeUrl: `${providerUrl}/authorize`,
        tokenUrl: `${providerUrl}/token`,
        scopes: ['profile'],
      }),
    ],
    encryptionKey: env('ATP_OAUTH_KEY'),
    stateSecret: env('ATP_OAUTH_STATE_SECRET'),
    redirectUri: `${publicUrl}/oauth/callback`,
  },
  logger: { level: process.env.LOG_LEVEL ?? 'warn' },
});
server.addAPIGroup(createOrdersAPI(cache));
server.addAPIGroup(createProfileAPI(providerUrl));
// Shows which instance answered each /api request (middleware is added before the server starts).
server.use(async (context, next) => {
  context.res.setHeader('X-ATP-Instance', name);
  await next();
});

await server.listen(Number(process.env.PORT ?? 0));
console.log(`${name} listening on ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    // Running executions finish (up to 5 s); paused ones stay in Redis for the other instance.
    await server.shutdown(5_000);
    await cache.close();
    process.exit(0);
  });
}
