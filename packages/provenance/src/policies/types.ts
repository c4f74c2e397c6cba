import type { ProvenanceMode, ToolCallContext } from '@agent-tool-protocol/protocol';
import type { LabelledLeaf, Readers, Source } from '../labels.js';

/** A policy's answer. `undefined` from a policy means it has nothing to say (allow). */
export type PolicyDecision =
  | { action: 'allow' }
  | { action: 'block'; reason: string }
  | { action: 'approve'; reason: string };

/** What a policy sees about one tool call. */
export interface PolicyContext {
  /** The runtime's view of the call (path `api.<group.fn>`, input, metadata, client services). */
  readonly call: ToolCallContext;
  /** `group.fn` (client tools: `client.<name>`). */
  readonly tool: string;
  readonly mode: ProvenanceMode;
  /** True when labels are available (mode `proxy` or `ast`). */
  readonly tracked: boolean;
  /** The input's top-level parameter names. */
  readonly params: string[];
  /** Labelled leaves under a parameter (dotted path; omit for the whole input). */
  leaves(param?: string): LabelledLeaf[];
  /** Sources of the values under a parameter; `user` when a leaf carries no label. */
  sourcesOf(param?: string): Set<Source>;
  /** Readers of the data under a parameter (the intersection over its labelled leaves). */
  readersOf(param?: string): Readers;
  /** Readers of a value with these sources (tool data: per tool sensitivity and `readers`). */
  readersFor(sources: Iterable<Source>): Readers;
  /** String values under a parameter (e.g. the recipients in `to`). */
  valuesOf(param: string): string[];
}

export interface SecurityPolicy {
  readonly name: string;
  /** Policies that read labels; with provenanceMode `none` they are refused at configuration time. */
  readonly needsProvenance?: boolean;
  check(context: PolicyContext): PolicyDecision | undefined | Promise<PolicyDecision | undefined>;
}

/** A custom policy as a plain function (its name is the function's name). */
export type PolicyFunction = (
  context: PolicyContext,
) => PolicyDecision | undefined | Promise<PolicyDecision | undefined>;

/** What `securityPolicies` accepts: policies, policy functions, or built-in factories passed uncalled. */
export type PolicyInput = SecurityPolicy | PolicyFunction;
