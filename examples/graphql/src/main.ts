// `pnpm --filter graphql-example start`: starts the store's GraphQL API and an ATP server in front of it,
// runs the agent snippets, prints their results and stops. `--serve` keeps serving until Ctrl-C instead.
// Environment: see src/config.ts and README.md (GRAPHQL_URL puts your own API behind ATP).
import { runAgent } from './agent.ts';
import { startAtpServer } from './atp-server.ts';
import { DEMO_STORE_TOKEN, readConfig } from './config.ts';
import { type StoreApi, startStoreApi } from './store-api.ts';

const serve = process.argv.includes('--serve');
const config = readConfig(serve);

let store: StoreApi | undefined;
if (config.url === undefined) {
  process.env[config.tokenEnvVar] ??= DEMO_STORE_TOKEN;
  store = await startStoreApi({
    token: process.env[config.tokenEnvVar]!,
    port: Number(process.env.STORE_PORT ?? 0),
  });
  console.log(`Store GraphQL API listening on ${store.url}`);
}

const atp = await startAtpServer({ ...config, url: store?.url ?? config.url! });
console.log(
  `ATP server listening on ${atp.url}: api.${config.name}.* has ${atp.functionNames.length} functions`,
);
console.log(`  ${atp.functionNames.join(', ')}`);

const stop = async () => {
  await atp.close();
  await store?.close();
};

if (!serve) {
  try {
    if (store) await runAgent(atp.url);
    else
      console.log('The agent snippets are written for the bundled store API; use --serve with your own API.');
  } finally {
    await stop();
  }
} else {
  console.log(`Serving. Point an ATP client at ${atp.url}. Ctrl-C stops.`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().then(() => process.exit(0));
    });
  }
}
