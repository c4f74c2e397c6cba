// The agent's side: discover the store's GraphQL API through ATP, then run code that does the work in the
// sandbox. Only each snippet's small result travels back (into a model's context, in a real agent).
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';

export const SNIPPETS: Array<[title: string, code: string]> = [
  [
    'Best-rated product per category: one query, choosing exactly the fields the code needs',
    `
    const page = await api.store.query_products({ first: 50, _fields: 'nodes { name category rating inStock }' });
    const best = new Map();
    for (const product of page.nodes ?? []) {
      if (!product.inStock || product.rating == null || !product.category) continue;
      const current = best.get(product.category);
      if (!current || product.rating > current.rating) best.set(product.category, product);
    }
    return [...best.values()].map((p) => ({ category: p.category, name: p.name, rating: p.rating }));
    `,
  ],
  [
    'Every pack, page by page (Relay cursors: first / after / pageInfo)',
    `
    const names = [];
    let after = null;
    do {
      const page = await api.store.query_products({ first: 2, after, category: 'PACKS' });
      names.push(...(page.nodes ?? []).map((product) => product.name + ' $' + (product.price / 100).toFixed(2)));
      after = page.pageInfo?.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return names;
    `,
  ],
  [
    'A field the API refuses: GraphQL errors are catchable, with the path that failed',
    `
    try {
      await api.store.query_product({ id: 'P-3', _fields: 'name costPrice(auditReason: "margin report")' });
      return 'no error';
    } catch (e) {
      return { code: e.code, message: e.message };
    }
    `,
  ],
  [
    'A misspelt field is refused before any request, with a suggestion',
    `
    try {
      await api.store.query_searchProducts({ text: 'stove', _fields: 'name, prise' });
    } catch (e) {
      return { code: e.code, message: e.message };
    }
    `,
  ],
  [
    'Review the lowest-rated stove (a mutation: the client is asked to approve it first)',
    `
    const stoves = await api.store.query_products({ category: 'STOVES', _fields: 'nodes { id name rating }' });
    const worst = (stoves.nodes ?? []).reduce((a, b) => ((a.rating ?? 5) <= (b.rating ?? 5) ? a : b));
    const review = await api.store.mutation_addReview({
      review: { productId: worst.id, rating: 3, text: 'Fine once you add a windscreen.' },
    });
    return { product: worst.name, review: review.id, rating: review.rating };
    `,
  ],
];

export async function runAgent(atpUrl: string, print: (line: string) => void = console.log): Promise<void> {
  const client = new AgentToolProtocolClient({ baseUrl: atpUrl });
  // A stand-in for a person (or a policy) approving mutations; decline by returning approved: false.
  client.provideApproval(async (message) => {
    print(`approval requested: ${message} → approved`);
    return { approved: true };
  });
  await client.init({ name: 'graphql-example-agent' });

  const hits = await client.searchQuery('review a product');
  print(
    `search → ${hits
      .slice(0, 3)
      .map((hit) => `${hit.apiGroup}.${hit.functionName}`)
      .join(', ')}`,
  );
  const types = await client.getTypeDefinitions();
  print(`types → ${types.split('\n').length} lines of TypeScript declarations for the agent's code`);

  for (const [title, code] of SNIPPETS) {
    const result = await client.execute(code);
    print(`\n# ${title}\nstatus: ${result.status} (${result.stats.toolCallsCount ?? 0} API calls)`);
    print(JSON.stringify(result.status === 'completed' ? result.result : result.error, null, 2));
  }
}
