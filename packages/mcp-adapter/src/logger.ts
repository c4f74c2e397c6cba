export { type Logger, silentLogger } from '@agent-tool-protocol/protocol';
