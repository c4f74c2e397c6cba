import type { ATPConfig, ATPConfigInput, LLMConfig, MCPEntry } from './config-schema.js';
import { ATPConfigSchema } from './config-schema.js';
import { CLIError } from './errors.js';
import { runCLI } from './main.js';

// Names from before acronyms were upper case everywhere (ATP, LLM, MCP, CLI), kept so imports keep working.

/** @deprecated Renamed `ATPConfig`. */
export type AtpConfig = ATPConfig;
/** @deprecated Renamed `ATPConfigInput`. */
export type AtpConfigInput = ATPConfigInput;
/** @deprecated Renamed `ATPConfigSchema`. */
export const AtpConfigSchema = ATPConfigSchema;
/** @deprecated Renamed `LLMConfig`. */
export type LlmConfig = LLMConfig;
/** @deprecated Renamed `MCPEntry`. */
export type McpEntry = MCPEntry;
/** @deprecated Renamed `CLIError`. */
export const CliError = CLIError;
/** @deprecated Renamed `CLIError`. */
export type CliError = CLIError;
/** @deprecated Renamed `runCLI`. */
export const runCli = runCLI;
