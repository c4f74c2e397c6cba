import {
  blockLLMRecipients,
  preventDataExfiltration,
  requireUserOrigin,
} from '@agent-tool-protocol/provenance';
import type { ATPConfig } from './config-schema.js';
import { configError, errorMessage } from './errors.js';

type PolicyConfig = NonNullable<ATPConfig['provenance']>['policies'][number];

const FACTORIES = { preventDataExfiltration, requireUserOrigin, blockLLMRecipients } as const;

/** `{name, …options}` entries → the provenance package's built-in policies. */
export function buildPolicies(configs: PolicyConfig[]): unknown[] {
  return configs.map(({ name, ...options }, index) => {
    try {
      return (FACTORIES[name] as (options: Record<string, unknown>) => unknown)(options);
    } catch (error) {
      throw configError(`provenance.policies[${index}]: ${errorMessage(error)}`, [
        { path: `provenance.policies[${index}]`, message: errorMessage(error) },
      ]);
    }
  });
}
