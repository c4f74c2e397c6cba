// Settings from the environment. With none set, the example serves the bundled store API; set GRAPHQL_URL
// (and usually a token) to put your own GraphQL API in front of agents.

export interface ExampleConfig {
  /** Group name: agents call `api.<name>.query_<field>()` and `api.<name>.mutation_<field>()`. */
  name: string;
  /** The GraphQL endpoint; undefined means: start the bundled store API and use its URL. */
  url: string | undefined;
  /** A schema file (SDL or introspection JSON) instead of introspecting the endpoint. */
  schemaFile: string | undefined;
  /** Name of the environment variable holding the API's bearer token; read on every call. */
  tokenEnvVar: string;
  /** Port of the ATP server (0 = any free port). */
  port: number;
}

/** The store's token for the demo; a real deployment sets its own in the environment. */
export const DEMO_STORE_TOKEN = 'store-demo-token';

/** `serve`: a long-running server gets a fixed default port; a run-and-exit demo any free port. */
export function readConfig(serve: boolean, env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  return {
    name: env.GRAPHQL_NAME ?? 'store',
    url: env.GRAPHQL_URL,
    schemaFile: env.GRAPHQL_SCHEMA,
    tokenEnvVar: env.GRAPHQL_TOKEN_ENV ?? 'STORE_API_TOKEN',
    port: Number(env.PORT ?? (serve ? 3336 : 0)),
  };
}
