import { randomBytes } from 'node:crypto';
import type { ATPConfig } from './config-schema.js';
import type { Environment } from './env-interpolation.js';

/**
 * The token secret for a gateway whose clients all live in this process (`atp mcp`, in-process `atp exec`):
 * the configured one, else a random one, since no token has to outlive the process.
 */
export function ephemeralSecret(config: ATPConfig, env: Environment): string | undefined {
  if (config.server.jwtSecret || env.ATP_JWT_SECRET) return config.server.jwtSecret;
  return randomBytes(32).toString('hex');
}
