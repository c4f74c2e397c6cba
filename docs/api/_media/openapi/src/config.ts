// Settings from the environment. With none set, the example serves the bundled shop API (spec/shop.yaml);
// set OPENAPI_SPEC (and usually OPENAPI_BASE_URL and a token) to put your own API in front of agents.
import { fileURLToPath } from 'node:url';

export interface ExampleConfig {
  /** Group name: agents call `api.<name>.<namespace>.<function>()`. */
  name: string;
  /** Path or http(s) URL of the OpenAPI document (JSON or YAML). */
  spec: string;
  /** True when `spec` is the bundled shop spec, so the example starts the shop API itself. */
  bundledShop: boolean;
  /** Overrides the spec's `servers` (the bundled shop: the URL it listens on). */
  baseUrl: string | undefined;
  /** Name of the environment variable holding the API's bearer token; read at call time. */
  tokenEnvVar: string;
  /** Port of the ATP server (0 = any free port). */
  port: number;
}

export const BUNDLED_SPEC = fileURLToPath(new URL('../spec/shop.yaml', import.meta.url));
/** The shop's token for the demo; a real deployment sets its own in the environment. */
export const DEMO_SHOP_TOKEN = 'shop-demo-token';

/** `serve`: a long-running server gets a fixed default port; a run-and-exit demo any free port. */
export function readConfig(serve: boolean, env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const spec = env.OPENAPI_SPEC ?? BUNDLED_SPEC;
  return {
    name: env.OPENAPI_NAME ?? 'shop',
    spec,
    bundledShop: spec === BUNDLED_SPEC && env.OPENAPI_BASE_URL === undefined,
    baseUrl: env.OPENAPI_BASE_URL,
    tokenEnvVar: env.OPENAPI_TOKEN_ENV ?? 'SHOP_API_TOKEN',
    port: Number(env.PORT ?? (serve ? 3335 : 0)),
  };
}
