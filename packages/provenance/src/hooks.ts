import {
  ATPError,
  ErrorCode,
  type ExecutionHooks,
  type Logger,
  ProvenanceMode,
  parseOrThrow,
  SANDBOX_GLOBALS,
  silentLogger,
  type ToolCallContext,
  type ToolCallDecision,
  type ToolMetadata,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { directivesEnd, instrumentCode } from './ast/transform.js';
import { declarativePolicy } from './controls/declarative.js';
import { RateLimiter } from './controls/rate-limits.js';
import { type Rules, type RulesInput, RulesSource } from './controls/rules.js';
import { GlobList, toolName } from './glob.js';
import { type LabelledLeaf, parseSandboxLabels, ReadersMap } from './labels.js';
import { isPolicyFactory } from './policies/builtins.js';
import { createPolicyContext } from './policies/context.js';
import type { PolicyDecision, PolicyInput, SecurityPolicy } from './policies/types.js';
import { ProxyRegistry } from './proxy-registry.js';

/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape). */
export type SecurityLogger = Logger;

export interface SecurityOptions {
  /** `none` (default): controls only; `proxy`: value matching on the host; `ast`: labels tracked in the sandbox. */
  provenanceMode?: ProvenanceMode;
  /** Policies, policy functions, or built-in factories (`preventDataExfiltration`) passed uncalled. */
  policies?: readonly unknown[];
  /** A rules file path (YAML or JSON, reloaded on change) or a rules object. */
  rules?: string | RulesInput;
  /** Server-wide allow list (globs over `group.fn`); when non-empty only these tools may be called. */
  allow?: string[];
  deny?: string[];
  /** Per client id allow/deny lists. */
  clients?: Record<string, { allow?: string[]; deny?: string[] }>;
  /** Destructive tools and tools marked `requiresApproval` ask for approval (default true). */
  approveByMetadata?: boolean;
  /** Readers per tool (globs over `group.fn`): principals or `'public'`. */
  readers?: Record<string, string[] | 'public'>;
  /** The user's identities (emails, `@domain`): the principal `user` in readers. */
  user?: string[];
  /** Tool metadata lookup by `group.fn` (the server passes its catalog). */
  metadataOf?: (tool: string) => ToolMetadata | undefined;
  /** `proxy` mode: shortest string matched as a substring (default 8). */
  minSubstringLength?: number;
  /** Re-read a rules file when it changes (default true). */
  watchRules?: boolean;
  logger?: Logger;
}

/** The hooks to give the runtime (`execution.hooks`), plus the rules' guidance and a close(). */
export interface SecurityHooks
  extends Required<Pick<ExecutionHooks, 'beforeToolCall' | 'afterToolCall' | 'transformCode'>> {
  readonly mode: ProvenanceMode;
  /** The rules in force (reloaded when the rules file changes). */
  readonly rules: Rules;
  /** Free-text guidance from the rules, for the agent (returned with the definitions). */
  guidance(): string | undefined;
  close(): void;
}

/** Normalises `securityPolicies` entries; a plain function is a custom policy named after it. */
export function toPolicy(input: unknown, index: number): SecurityPolicy {
  if (isPolicyFactory(input)) return input();
  if (typeof input === 'function') {
    const fn = input as PolicyInput & ((...args: unknown[]) => unknown);
    return { name: fn.name || `policy#${index}`, check: fn as SecurityPolicy['check'] };
  }
  if (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as SecurityPolicy).check === 'function' &&
    typeof (input as SecurityPolicy).name === 'string'
  ) {
    return input as SecurityPolicy;
  }
  throw new ATPError(
    ErrorCode.VALIDATION_ERROR,
    `Invalid securityPolicies.${index}: expected a policy ({name, check}), a policy function or a built-in policy factory`,
    { httpStatus: 400 },
  );
}

/**
 * Builds the runtime hooks of the security layer: allow/deny lists, the rules file (deny, allow,
 * approvals, rate limits, declarative policies), approvals from tool metadata, provenance tracking
 * and the data-flow policies. A block ends the execution as `security_violation`; an approval goes
 * to the client's approval callback, else the server's onApproval, else it is denied.
 */
const globList = z.array(z.string().min(1, 'must not be empty'));
const SecurityOptionsSchema = z.looseObject({
  provenanceMode: z.enum([ProvenanceMode.NONE, ProvenanceMode.PROXY, ProvenanceMode.AST]).optional(),
  policies: z.array(z.unknown()).optional(),
  rules: z.union([z.string().min(1, 'must not be empty'), z.record(z.string(), z.unknown())]).optional(),
  allow: globList.optional(),
  deny: globList.optional(),
  clients: z
    .record(z.string(), z.strictObject({ allow: globList.optional(), deny: globList.optional() }))
    .optional(),
  approveByMetadata: z.boolean().optional(),
  readers: z.record(z.string(), z.union([z.literal('public'), z.array(z.string().min(1))])).optional(),
  user: z.array(z.string().min(1)).optional(),
  metadataOf: z
    .custom<(tool: string) => unknown>((value) => typeof value === 'function', 'must be a function')
    .optional(),
  minSubstringLength: z.number().int().min(1).optional(),
  watchRules: z.boolean().optional(),
});

export function createSecurityHooks(options: SecurityOptions = {}): SecurityHooks {
  parseOrThrow(SecurityOptionsSchema, options, 'security options', 'security');
  const mode = options.provenanceMode ?? ProvenanceMode.NONE;
  const logger = options.logger ?? silentLogger;
  const policies = (options.policies ?? []).map(toPolicy);
  if (mode === 'none') {
    const needing = policies.find((policy) => policy.needsProvenance);
    if (needing !== undefined) {
      throw new ATPError(
        ErrorCode.VALIDATION_ERROR,
        `Invalid securityPolicies: ${needing.name} reads provenance labels; set execution.provenanceMode to "proxy" or "ast"`,
        { httpStatus: 400 },
      );
    }
  }
  const rulesSource = new RulesSource(options.rules, { logger, watch: options.watchRules !== false });
  let ruleState = compileRules(rulesSource.rules, mode);
  rulesSource.onChange((rules) => {
    ruleState = compileRules(rules, mode);
  });
  const serverAllow = new GlobList(options.allow ?? []);
  const serverDeny = new GlobList(options.deny ?? []);
  const clientLists = new Map(
    Object.entries(options.clients ?? {}).map(([id, lists]) => [
      id,
      { allow: new GlobList(lists.allow ?? []), deny: new GlobList(lists.deny ?? []) },
    ]),
  );
  const readers = new ReadersMap({
    ...(options.readers ? { readers: options.readers } : {}),
    ...(options.user ? { user: options.user } : {}),
    ...(options.metadataOf ? { metadataOf: options.metadataOf } : {}),
  });
  const registry = mode === 'proxy' ? new ProxyRegistry(options.minSubstringLength) : undefined;
  const limiter = new RateLimiter();
  const approveByMetadata = options.approveByMetadata !== false;

  function controls(context: ToolCallContext, tool: string): ToolCallDecision | undefined {
    const rules = ruleState.rules;
    const block = (policy: string, reason: string): ToolCallDecision => ({ action: 'block', policy, reason });
    if (serverDeny.matches(tool) || ruleState.deny.matches(tool))
      return block('deny-list', `${tool} is on the deny list`);
    if (
      (!serverAllow.isEmpty || !ruleState.allow.isEmpty) &&
      !serverAllow.matches(tool) &&
      !ruleState.allow.matches(tool)
    ) {
      return block('allow-list', `${tool} is not on the allow list`);
    }
    const client = clientLists.get(context.clientId);
    const clientRules = rules.clients[context.clientId];
    const clientDeny = [...(client?.deny.globs ?? []), ...(clientRules?.deny ?? [])];
    const clientAllow = [...(client?.allow.globs ?? []), ...(clientRules?.allow ?? [])];
    if (clientDeny.length > 0 && new GlobList(clientDeny).matches(tool)) {
      return block('deny-list', `${tool} is on this client's deny list`);
    }
    if (clientAllow.length > 0 && !new GlobList(clientAllow).matches(tool)) {
      return block('allow-list', `${tool} is not on this client's allow list`);
    }
    const limited = limiter.take(rules.rateLimits, tool, context.clientId, context.executionId);
    if (limited !== undefined) {
      return block('rate-limit', `${tool} is limited to ${limited.max} calls per ${limited.per}`);
    }
    return undefined;
  }

  function labelsOf(context: ToolCallContext): LabelledLeaf[] | undefined | 'missing' {
    if (mode === 'ast') return parseSandboxLabels(context.provenance) ?? 'missing';
    if (registry !== undefined) return registry.labels(context.executionId, context.input);
    return undefined;
  }

  async function beforeToolCall(context: ToolCallContext): Promise<ToolCallDecision> {
    const tool = toolName(context.path);
    readers.learn(tool, context.metadata);
    const control = controls(context, tool);
    if (control !== undefined) return control;
    const leaves = labelsOf(context);
    if (leaves === 'missing') {
      return {
        action: 'block',
        policy: 'provenance',
        reason: 'the call carries no provenance labels, so its data flow cannot be checked',
      };
    }
    const policyContext = createPolicyContext(context, mode, leaves, readers);
    const approvals: { policy: string; reason: string }[] = [];
    for (const policy of [...policies, ...ruleState.policies]) {
      let decision: PolicyDecision | undefined;
      try {
        decision = await policy.check(policyContext);
      } catch (error) {
        decision = { action: 'block', reason: `the policy failed: ${(error as Error).message}` };
      }
      if (decision === undefined || decision.action === 'allow') continue;
      if (decision.action === 'block') {
        logger.debug({ tool, policy: policy.name, reason: decision.reason }, 'tool call blocked');
        return { action: 'block', policy: policy.name, reason: decision.reason };
      }
      approvals.push({ policy: policy.name, reason: decision.reason });
    }
    if (ruleState.requireApproval.matches(tool)) {
      approvals.push({ policy: 'rules.requireApproval', reason: `${tool} requires approval by the rules` });
    }
    if (approveByMetadata && context.metadata.operationType === 'destructive') {
      approvals.push({ policy: 'destructive-operation', reason: `${tool} is destructive` });
    } else if (approveByMetadata && context.metadata.requiresApproval === true) {
      approvals.push({ policy: 'requires-approval', reason: `${tool} is marked requiresApproval` });
    }
    if (approvals.length === 0) return { action: 'allow' };
    return {
      action: 'approve',
      policy: approvals[0]!.policy,
      message: `Allow the call to ${context.path}? ${approvals.map((approval) => approval.reason).join('; ')}.`,
      context: { tool, input: context.input, reasons: approvals },
    };
  }

  return {
    mode,
    get rules() {
      return ruleState.rules;
    },
    guidance: () => ruleState.rules.guidance,
    beforeToolCall,
    afterToolCall(context, result) {
      const tool = toolName(context.path);
      readers.learn(tool, context.metadata);
      registry?.record(context.executionId, `tool:${tool}`, result);
    },
    transformCode(code) {
      // Without `ast`, a no-op tracker takes the sandbox's provenance seam first (same line, so line
      // numbers are unchanged): agent code cannot install one and attach labels of its own choosing.
      return mode === 'ast' ? instrumentCached(code) : sealSeam(code);
    },
    close() {
      rulesSource.close();
    },
  };
}

const SEAL_SEAM = `if (typeof globalThis.${SANDBOX_GLOBALS.provenance} === 'function') globalThis.${SANDBOX_GLOBALS.provenance}(Object.freeze({ outgoing: function () { return {}; } }));`;
/** Puts the seal first, after a directive prologue ('use strict') so that keeps its meaning. */
function sealSeam(code: string): string {
  const start = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(code)![0].length;
  if (code[start] !== "'" && code[start] !== '"') return `${SEAL_SEAM}${code}`;
  const end = directivesEnd(code);
  return end === undefined ? `${SEAL_SEAM}${code}` : `${code.slice(0, end)}${SEAL_SEAM}${code.slice(end)}`;
}

const INSTRUMENT_CACHE_LIMIT = 256;
const instrumented = new Map<string, string>();

/** Agents often re-run the same code: instrumenting it is pure, so the output is cached. */
function instrumentCached(code: string): string {
  const cached = instrumented.get(code);
  if (cached !== undefined) return cached;
  const output = instrumentCode(code);
  if (instrumented.size >= INSTRUMENT_CACHE_LIMIT)
    instrumented.delete(instrumented.keys().next().value as string);
  instrumented.set(code, output);
  return output;
}

interface RuleState {
  rules: Rules;
  allow: GlobList;
  deny: GlobList;
  requireApproval: GlobList;
  policies: SecurityPolicy[];
}

function compileRules(rules: Rules, mode: ProvenanceMode): RuleState {
  return {
    rules,
    allow: new GlobList(rules.allow),
    deny: new GlobList(rules.deny),
    requireApproval: new GlobList(rules.requireApproval),
    // Declarative data-flow policies need labels; in mode none they are ignored (documented).
    policies: mode === 'none' ? [] : rules.policies.map(declarativePolicy),
  };
}
