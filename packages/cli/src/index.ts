export { AnyOfAuthProvider, buildAuthProvider } from './auth.js';
export type { CommandContext } from './commands/context.js';
export {
  type ATPConfig,
  type ATPConfigInput,
  ATPConfigSchema,
  type LLMConfig,
  type MCPEntry,
  type OpenAPIEntry,
} from './config-schema.js';
export {
  type AtpConfig,
  type AtpConfigInput,
  AtpConfigSchema,
  CliError,
  type LlmConfig,
  type McpEntry,
  runCli,
} from './deprecated.js';
export { type Environment, interpolateEnv } from './env-interpolation.js';
export { CLIError } from './errors.js';
export { ExitCode } from './exit-codes.js';
export { applyFlags, checkUniqueGroupNames, type GatewayFlags } from './flags.js';
export {
  type BuildGatewayOptions,
  buildGateway,
  type Gateway,
  type GroupSummary,
} from './gateway.js';
export { createOpenAICompatibleLLM, llmConfigFrom, NO_LLM_MESSAGE } from './llm.js';
export {
  DEFAULT_CONFIG_FILES,
  findDefaultConfigFile,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  parseConfig,
} from './load-config.js';
export { runCLI } from './main.js';
export { createProgress, type Progress, type ProgressTask, silentProgress } from './progress.js';
export { hasNoNodeSnapshot } from './reexec.js';
export { STARTER_CONFIG } from './starter-config.js';
