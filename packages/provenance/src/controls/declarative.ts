import { compileGlob, GlobList } from '../glob.js';
import type { SecurityPolicy } from '../policies/types.js';
import type { DeclarativePolicy } from './rules.js';

/** A rules-file policy: values from the listed sources may not reach the listed tools' parameters. */
export function declarativePolicy(rule: DeclarativePolicy): SecurityPolicy {
  const tools = new GlobList(rule.tools);
  const sources = rule.fromSources.map(compileGlob);
  return {
    name: rule.name,
    needsProvenance: true,
    check(context) {
      if (!tools.matches(context.tool)) return undefined;
      const params = rule.params ?? [undefined];
      for (const param of params) {
        const found = [...context.sourcesOf(param)].find((source) =>
          sources.some((glob) => glob.test(source)),
        );
        if (found === undefined) continue;
        const where = param === undefined ? 'the input' : `parameter "${param}"`;
        return {
          action: rule.action,
          reason: rule.reason ?? `${where} carries data from ${found}`,
        };
      }
      return undefined;
    },
  };
}
