import { editDistance } from '@agent-tool-protocol/protocol';
import { allTokens } from './tokenize.js';

/**
 * The candidates closest to `path`, best first: small edit distance (case-insensitive) or shared
 * words (`github.createIssue` ~ `github.issues.create`). Unrelated paths are left out.
 */
export function closestPaths(path: string, candidates: Iterable<string>, limit: number): string[] {
  const wanted = path.toLowerCase();
  const wantedTokens = new Set(allTokens(path));
  const maxDistance = Math.max(2, Math.floor(wanted.length * 0.4));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase(), maxDistance);
    const tokens = allTokens(candidate);
    const shared = tokens.filter((token) => wantedTokens.has(token)).length;
    const overlap = shared / Math.max(wantedTokens.size, new Set(tokens).size, 1);
    const closeEnough = distance <= maxDistance;
    if (!closeEnough && overlap < 0.5) continue;
    // Lower is better: normalized distance minus the share of words in common.
    const normalized = Math.min(distance, maxDistance + 1) / Math.max(wanted.length, candidate.length, 1);
    scored.push({ candidate, score: normalized - overlap });
  }
  scored.sort((a, b) => a.score - b.score || (a.candidate < b.candidate ? -1 : 1));
  return scored.slice(0, limit).map((item) => item.candidate);
}
