import type { ATPConfig } from './config-schema.js';
import type { Environment } from './env-interpolation.js';
import { applyFlags, type GatewayFlags } from './flags.js';
import { findDefaultConfigFile, loadConfig, parseConfig } from './load-config.js';

export interface ResolvedConfig {
  config: ATPConfig;
  file: string | undefined;
  /** What the flags changed in the config file that the user should hear about (printed on stderr). */
  notices: string[];
}

/** `--config`, else `./atp.config.yaml` when present, else an empty config; then the flags on top. */
export async function resolveConfig(
  configFlag: string | undefined,
  flags: GatewayFlags,
  context: { cwd: string; env: Environment },
): Promise<ResolvedConfig> {
  const file = configFlag ?? findDefaultConfigFile(context.cwd);
  const base = file
    ? await loadConfig(file, { cwd: context.cwd, env: context.env })
    : { config: parseConfig({}, { env: context.env, baseDir: context.cwd }), file: undefined };
  const notices: string[] = [];
  const config = applyFlags(base.config, flags, context.cwd, (text) => notices.push(text));
  return { config, file: base.file, notices };
}
