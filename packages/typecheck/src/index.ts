export {
  AgentTypeChecker,
  type AgentTypeCheckerOptions,
  type APIDeclarations,
  createAgentTypeChecker,
  type TypeCheckEnvironment,
  type TypeCheckResult,
} from './checker.js';
export { AGENT_COMPILER_OPTIONS, IGNORED_DIAGNOSTIC_CODES } from './compiler-options.js';
export type { ApiDeclarations } from './deprecated.js';
export { type AgentDiagnostic, formatDiagnostics } from './diagnostics.js';
export { API_TYPE_NAME, apiTypeName } from './environment.js';
