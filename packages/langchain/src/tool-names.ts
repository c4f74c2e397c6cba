const TOOL_NAME = /\batp_(search_api|explore_api|execute_code|get_definitions)\b/g;

/** Our fixed texts name the tools with the default `atp_` prefix; this renames them for another prefix. */
export function withToolPrefix(text: string, prefix = 'atp_'): string {
  return prefix === 'atp_' ? text : text.replace(TOOL_NAME, `${prefix}$1`);
}
