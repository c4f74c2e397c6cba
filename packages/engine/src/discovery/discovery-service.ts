import { type Catalog, generateRuntimeDefinitions } from '@agent-tool-protocol/catalog';
import {
  type ClientServices,
  DefinitionsQuerySchema,
  type DefinitionsResponse,
  ErrorCode,
  ExploreRequestSchema,
  type ExploreResponse,
  NotFoundError,
  parseOrThrow,
  SearchRequestSchema,
  type SearchResponse,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import { guidanceComment } from '../security/security-layer.js';
import { splitList, stringListParam } from './list-params.js';

const RUNTIME_APIS = ['llm', 'approval', 'embedding', 'cache', 'log', 'progress'] as const;

/** How agents find APIs: definitions, search and the explore tree, over the catalog. */
export class DiscoveryService {
  constructor(
    private readonly catalog: Catalog,
    /** The rules' guidance for the agent, put above the definitions. */
    private readonly guidance: () => string | undefined,
  ) {}

  definitions(query: unknown): DefinitionsResponse {
    const parsed = parseOrThrow(DefinitionsQuerySchema, query ?? {}, 'definitions query');
    const groups = splitList(parsed.apiGroups);
    for (const name of groups ?? []) {
      if (!this.catalog.getGroup(name)) {
        throw new NotFoundError(`API group "${name}" does not exist.`, ErrorCode.NOT_FOUND, {
          available: this.catalog.listGroups().map((group) => group.name),
        });
      }
    }
    // Without filters the default is `auto`: the full declarations when small, else the compact index.
    const functions = splitList(stringListParam(parsed.functions, 'functions'));
    const detail = (parsed.detail ?? 'auto') as 'full' | 'compact' | 'auto';
    const definitions = this.catalog.getDefinitions({
      ...(groups ? { apiGroups: groups } : {}),
      ...(functions ? { functions } : {}),
      detail,
    });
    return { ...definitions, typescript: guidanceComment(this.guidance()) + definitions.typescript };
  }

  /** The `atp.*` declarations for a client with `services`, optionally only the `apis` named. */
  runtimeDefinitions(services: ClientServices, apis?: string | string[]): string {
    const requested = splitList(apis);
    const unknown = requested?.filter((api) => !(RUNTIME_APIS as readonly string[]).includes(api)) ?? [];
    if (unknown.length > 0) {
      const message = `unknown runtime API "${unknown[0]}" (known: ${RUNTIME_APIS.join(', ')})`;
      throw new ValidationError(`Invalid runtime query: apis: ${message}`, [{ path: 'apis', message }]);
    }
    return generateRuntimeDefinitions(services, requested);
  }

  /** Keyword (BM25) search. */
  search(body: unknown): SearchResponse {
    const parsed = parseOrThrow(SearchRequestSchema, body, 'search request');
    return { results: this.catalog.search(parsed.query, searchOptions(parsed)) };
  }

  /** Like `search`, hybrid (keyword + embeddings) when `discovery.embeddings` is configured. */
  async searchHybrid(body: unknown): Promise<SearchResponse> {
    const parsed = parseOrThrow(SearchRequestSchema, body, 'search request');
    return { results: await this.catalog.searchHybrid(parsed.query, searchOptions(parsed)) };
  }

  explore(body: unknown): ExploreResponse {
    const parsed = parseOrThrow(ExploreRequestSchema, body, 'explore request');
    const response = this.catalog.explore(parsed.path);
    // The root also carries the compact index (every group and namespace, one line each): one hop.
    if (response.type !== 'directory' || response.path !== '/') return response;
    return { ...response, overview: this.catalog.getDefinitions({ detail: 'compact' }).typescript };
  }
}

function searchOptions(parsed: { apiGroups?: string[] | undefined; maxResults?: number | undefined }) {
  return {
    ...(parsed.apiGroups ? { apiGroups: parsed.apiGroups } : {}),
    ...(parsed.maxResults ? { maxResults: parsed.maxResults } : {}),
  };
}
