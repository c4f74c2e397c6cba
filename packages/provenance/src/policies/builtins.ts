import { GlobList } from '../glob.js';
import { coveredBy, describeReaders, type LabelledLeaf, USER } from '../labels.js';
import type { PolicyContext, PolicyDecision, SecurityPolicy } from './types.js';

/** Parameter names that name where data goes, matched case-insensitively at the top level of the input. */
export const DEFAULT_RECIPIENT_PARAMS = [
  'to',
  'cc',
  'bcc',
  'recipient',
  'recipients',
  'email',
  'address',
  'url',
  'webhook',
  'endpoint',
  'channel',
  'destination',
];

const POLICY_FACTORY = Symbol.for('@agent-tool-protocol/provenance.policyFactory');

/** Marks a factory so it may be listed uncalled in `securityPolicies` (its defaults apply). */
function factory<F extends (...args: any[]) => SecurityPolicy>(fn: F): F {
  Object.defineProperty(fn, POLICY_FACTORY, { value: true });
  return fn;
}

export function isPolicyFactory(value: unknown): value is () => SecurityPolicy {
  return (
    typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[POLICY_FACTORY] === true
  );
}

interface ToolScope {
  /** Globs over `group.fn` the policy applies to (default: every tool). */
  tools?: string[];
}

function recipientParams(context: PolicyContext, names: string[]): string[] {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  return context.params.filter((param) => wanted.has(param.toLowerCase()));
}

function topParam(leaf: LabelledLeaf): string {
  return leaf.path.length === 0 ? '(input)' : String(leaf.path[0]);
}

export interface ExfiltrationOptions extends ToolScope {
  /** Parameters that name recipients (default DEFAULT_RECIPIENT_PARAMS). */
  recipientParams?: string[];
  /** Tools that publish everything they get (paste bins, public posts): their recipient is "anyone". */
  publicSinks?: string[];
  /** What to answer on a violation (default `block`). */
  action?: 'block' | 'approve';
}

/**
 * Data whose readers are restricted cannot flow to a recipient outside them: for each call with a
 * recipient parameter (or to a public sink), every labelled value in the other parameters must be
 * readable by every recipient.
 */
export const preventDataExfiltration = factory(function preventDataExfiltration(
  options: ExfiltrationOptions = {},
): SecurityPolicy {
  const scope = new GlobList(options.tools ?? []);
  const sinks = new GlobList(options.publicSinks ?? []);
  const names = options.recipientParams ?? DEFAULT_RECIPIENT_PARAMS;
  return {
    name: 'preventDataExfiltration',
    needsProvenance: true,
    check(context): PolicyDecision | undefined {
      if (!scope.isEmpty && !scope.matches(context.tool)) return undefined;
      const params = recipientParams(context, names);
      const publicSink = sinks.matches(context.tool);
      if (params.length === 0 && !publicSink) return undefined;
      const recipients: { param: string; value: string }[] = publicSink
        ? [{ param: '(public sink)', value: 'anyone' }]
        : params.flatMap((param) => context.valuesOf(param).map((value) => ({ param, value })));
      // Recipient parameters are checked too: a secret spelled into an address reaches that address.
      for (const leaf of context.leaves()) {
        const allowed = context.readersFor(leaf.sources);
        if (allowed === 'public') continue;
        const outside = recipients.find((recipient) => publicSink || !coveredBy(recipient.value, allowed));
        if (outside === undefined) continue;
        return {
          action: options.action ?? 'block',
          reason:
            `parameter "${topParam(leaf)}" carries data from ${leaf.sources.join(' + ')} (readable by ${describeReaders(allowed)}) ` +
            `and "${outside.value}" in parameter "${outside.param}" is not among its readers`,
        };
      }
      return undefined;
    },
  };
});

export interface UserOriginOptions extends ToolScope {
  /** Parameters that must come from the user (default DEFAULT_RECIPIENT_PARAMS). */
  params?: string[];
  action?: 'block' | 'approve';
}

/** Named sensitive parameters must come from the user: no value in them may come from a tool or an LLM. */
export const requireUserOrigin = factory(function requireUserOrigin(
  options: UserOriginOptions = {},
): SecurityPolicy {
  const scope = new GlobList(options.tools ?? []);
  const names = options.params ?? DEFAULT_RECIPIENT_PARAMS;
  return {
    name: 'requireUserOrigin',
    needsProvenance: true,
    check(context) {
      if (!scope.isEmpty && !scope.matches(context.tool)) return undefined;
      for (const param of recipientParams(context, names)) {
        const foreign = [...context.sourcesOf(param)].filter((source) => source !== USER);
        if (foreign.length === 0) continue;
        return {
          action: options.action ?? 'block',
          reason: `parameter "${param}" must come from the user but comes from ${foreign.join(' + ')}`,
        };
      }
      return undefined;
    },
  };
});

export interface LLMRecipientOptions extends ToolScope {
  params?: string[];
  action?: 'block' | 'approve';
}

/** Recipients chosen by an LLM (`atp.llm.*` output, possibly steered by injected text) are refused. */
export const blockLLMRecipients = factory(function blockLLMRecipients(
  options: LLMRecipientOptions = {},
): SecurityPolicy {
  const scope = new GlobList(options.tools ?? []);
  const names = options.params ?? DEFAULT_RECIPIENT_PARAMS;
  return {
    name: 'blockLLMRecipients',
    needsProvenance: true,
    check(context) {
      if (!scope.isEmpty && !scope.matches(context.tool)) return undefined;
      for (const param of recipientParams(context, names)) {
        if (!context.sourcesOf(param).has('llm')) continue;
        return {
          action: options.action ?? 'block',
          reason: `parameter "${param}" was produced by an LLM`,
        };
      }
      return undefined;
    },
  };
});

/** Wraps a function as a named policy. */
export function definePolicy(
  name: string,
  check: SecurityPolicy['check'],
  options: { needsProvenance?: boolean } = {},
): SecurityPolicy {
  return { name, check, ...(options.needsProvenance ? { needsProvenance: true } : {}) };
}
