// `pnpm --filter openapi-example start`: starts the shop API and an ATP server in front of it, runs the
// agent snippets, prints their results and stops. `--serve` keeps serving until Ctrl-C instead.
// Environment: see src/config.ts and README.md (OPENAPI_SPEC puts your own API behind ATP).
import { runAgent } from './agent.ts';
import { startAtpServer } from './atp-server.ts';
import { DEMO_SHOP_TOKEN, readConfig } from './config.ts';
import { type ShopApi, startShopApi } from './shop-api.ts';

const serve = process.argv.includes('--serve');
const config = readConfig(serve);

let shop: ShopApi | undefined;
if (config.bundledShop) {
  process.env[config.tokenEnvVar] ??= DEMO_SHOP_TOKEN;
  shop = await startShopApi({
    token: process.env[config.tokenEnvVar]!,
    port: Number(process.env.SHOP_PORT ?? 0),
  });
  console.log(`Shop API listening on ${shop.url}`);
}

const atp = await startAtpServer({ ...config, baseUrl: shop?.url ?? config.baseUrl });
console.log(
  `ATP server listening on ${atp.url}: api.${config.name}.* has ${atp.functionNames.length} functions`,
);
console.log(`  ${atp.functionNames.join(', ')}`);

const stop = async () => {
  await atp.close();
  await shop?.close();
};

if (!serve) {
  try {
    if (config.bundledShop) await runAgent(atp.url);
    else
      console.log('The agent snippets are written for the bundled shop API; use --serve with your own spec.');
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
