/** `api.<group>.<fn>` of an explore function path `/<type>/<group>/<ns…>/<fn>`. */
export function apiPathOf(explorePath: string): string {
  const segments = explorePath.split('/').filter(Boolean);
  return ['api', ...segments.slice(1)].join('.');
}
