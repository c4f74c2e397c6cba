export { FakeOAuthServer, type FakeOAuthServerOptions } from './fake-oauth-server.js';
export { freePort, type RedisServerOptions, RedisServerProcess } from './redis-server.js';
export { typecheck } from './typecheck.js';
