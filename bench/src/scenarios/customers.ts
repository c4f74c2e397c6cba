// Scenario 3: enrichment of 150 customer records. Every record's email domain → company data →
// industry, size and segment written back to the CRM; answer with counts per segment and industry.
import { badInput, paginate, readSpec } from './backend.ts';
import { isoBefore, personName, seeded, sentences } from './random.ts';
import type { Backend, Exchange, Expected, Scenario, ScenarioSize, ToolCall } from './types.ts';

interface Customer {
  id: string;
  name: string;
  email: string;
  title: string;
  phone: string;
  plan: string;
  mrrUsd: number;
  createdAt: string;
  industry: string | null;
  employees: number | null;
  segment: string | null;
}

interface Company {
  domain: string;
  name: string;
  industry: string;
  employees: number;
  annualRevenueUsd: number;
  founded: number;
  headquarters: { city: string; country: string };
  description: string;
  linkedin: string;
  techStack: string[];
}

const INDUSTRIES = [
  'Software',
  'Retail',
  'Healthcare',
  'Financial Services',
  'Manufacturing',
  'Logistics',
  'Education',
  'Media',
];
const WORDS = [
  'north',
  'blue',
  'quant',
  'terra',
  'vivid',
  'atlas',
  'nova',
  'pine',
  'river',
  'summit',
  'orbit',
  'cedar',
  'lumen',
  'delta',
  'harbor',
];

function generate(customerCount: number, companyCount: number) {
  const random = seeded(3);
  const companies: Company[] = [];
  for (let i = 0; i < companyCount; i++) {
    const stem = `${WORDS[i % WORDS.length]}${WORDS[(i * 7 + 3) % WORDS.length]}`;
    const employees = random.pick([12, 40, 85, 150, 420, 900, 1500, 4200, 12000]) + random.int(0, 9);
    companies.push({
      domain: `${stem}${i}.com`,
      name: `${stem[0]!.toUpperCase()}${stem.slice(1)} ${random.pick(['Inc.', 'GmbH', 'Ltd', 'Group', 'Labs'])}`,
      industry: random.pick(INDUSTRIES),
      employees,
      annualRevenueUsd: employees * random.int(90, 260) * 1000,
      founded: random.int(1975, 2021),
      headquarters: random.pick([
        { city: 'Berlin', country: 'DE' },
        { city: 'Austin', country: 'US' },
        { city: 'Toronto', country: 'CA' },
        { city: 'Lyon', country: 'FR' },
        { city: 'Osaka', country: 'JP' },
      ]),
      description: sentences(random, 2),
      linkedin: `https://www.linkedin.com/company/${stem}${i}`,
      techStack: [
        random.pick(['AWS', 'GCP', 'Azure']),
        random.pick(['Salesforce', 'HubSpot', 'Pipedrive']),
        random.pick(['Snowflake', 'BigQuery', 'Postgres']),
      ],
    });
  }
  const customers: Customer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const name = personName(random);
    const company = random.pick(companies);
    customers.push({
      id: `cus_${String(i + 1).padStart(4, '0')}`,
      name,
      email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${company.domain}`,
      title: random.pick([
        'Head of Operations',
        'CTO',
        'Product Manager',
        'VP Sales',
        'Data Engineer',
        'Finance Lead',
      ]),
      phone: `+1-555-${String(random.int(1000, 9999))}`,
      plan: random.pick(['starter', 'growth', 'business']),
      mrrUsd: random.int(5, 400) * 10,
      createdAt: isoBefore('2026-11-20T00:00:00Z', random.int(10, 900)),
      industry: null,
      employees: null,
      segment: null,
    });
  }
  return { customers, companies };
}

export function segmentOf(employees: number): string {
  return employees >= 1000 ? 'enterprise' : employees >= 100 ? 'mid-market' : 'smb';
}

const domainOf = (email: string) => email.slice(email.indexOf('@') + 1);

const PAGE_SIZE = 50;

const enrichment = (customer: Customer) => ({
  id: customer.id,
  industry: customer.industry,
  employees: customer.employees,
  segment: customer.segment,
});

/** From the generated data: every customer enriched from its company, and the counts. */
function expectedOf(customers: readonly Customer[], companies: readonly Company[]): Expected {
  const byDomain = new Map(companies.map((company) => [company.domain, company]));
  const rows = customers.map((customer) => {
    const company = byDomain.get(domainOf(customer.email))!;
    return {
      id: customer.id,
      industry: company.industry,
      employees: company.employees,
      segment: segmentOf(company.employees),
    };
  });
  return {
    answer: tally(rows),
    effects: { customers: rows },
    requests: {
      'companies/lookup': new Set(customers.map((c) => domainOf(c.email))).size,
      'customers/list': Math.max(1, Math.ceil(customers.length / PAGE_SIZE)),
      'customers/update': customers.length,
    },
  };
}

function createBackend(size: ScenarioSize): Backend {
  const { customers, companies } = size === 'full' ? generate(150, 60) : generate(12, 5);
  const expected = expectedOf(customers, companies);
  return {
    spec: readSpec('customers.json'),
    expected,
    effects: () => ({ customers: customers.map(enrichment) }),
    handlers: {
      'customers/list': ({ page, pageSize = 25 }) => {
        const { items, ...rest } = paginate(customers, page, pageSize, 50);
        return { customers: items, ...rest };
      },
      'customers/update': ({ id, body }) => {
        const customer = customers.find((c) => c.id === id) ?? badInput(`no customer ${String(id)}`);
        const fields = (body ?? {}) as Partial<Customer>;
        for (const key of ['industry', 'employees', 'segment'] as const) {
          if (fields[key] !== undefined) (customer as unknown as Record<string, unknown>)[key] = fields[key];
        }
        return customer;
      },
      'companies/lookup': ({ domain }) =>
        companies.find((c) => c.domain === domain) ?? badInput(`unknown domain ${String(domain)}`),
    },
  };
}

function tally(rows: Array<{ industry: string; segment: string }>) {
  const bySegment: Record<string, number> = {};
  const byIndustry: Record<string, number> = {};
  for (const row of rows) {
    bySegment[row.segment] = (bySegment[row.segment] ?? 0) + 1;
    byIndustry[row.industry] = (byIndustry[row.industry] ?? 0) + 1;
  }
  return { updated: rows.length, bySegment, byIndustry };
}

function baselineStep(exchanges: readonly Exchange[]): ToolCall[] | { answer: unknown } {
  const pages = exchanges
    .filter((e) => e.name === 'customers_list')
    .map((e) => e.result as { customers: Customer[]; nextPage: number | null });
  const last = pages.at(-1);
  if (!last || last.nextPage !== null)
    return [{ name: 'customers_list', arguments: { page: last?.nextPage ?? 1, pageSize: PAGE_SIZE } }];
  const customers = pages.flatMap((p) => p.customers);
  const companies = new Map(
    exchanges.filter((e) => e.name === 'companies_lookup').map((e) => [e.args.domain, e.result as Company]),
  );
  const unknown = [...new Set(customers.map((c) => domainOf(c.email)))].filter(
    (domain) => !companies.has(domain),
  );
  if (unknown.length > 0)
    return unknown.map((domain) => ({ name: 'companies_lookup', arguments: { domain } }));
  const updated = new Set(exchanges.filter((e) => e.name === 'customers_update').map((e) => e.args.id));
  const rows = customers.map((c) => {
    const company = companies.get(domainOf(c.email))!;
    return {
      id: c.id,
      industry: company.industry,
      employees: company.employees,
      segment: segmentOf(company.employees),
    };
  });
  const pending = rows.filter((row) => !updated.has(row.id));
  if (pending.length > 0)
    return pending.map(({ id, ...body }) => ({ name: 'customers_update', arguments: { id, body } }));
  return { answer: tally(rows) };
}

const atpCode = `
const customers = [];
for (let page = 1; page; ) {
  const result = await api.crm.customers.list({ page, pageSize: ${PAGE_SIZE} });
  customers.push(...result.customers);
  page = result.nextPage;
}
const domainOf = (email) => email.slice(email.indexOf('@') + 1);
const domains = [...new Set(customers.map((c) => domainOf(c.email)))];
const companies = new Map(await Promise.all(domains.map(async (domain) => [domain, await api.crm.companies.lookup({ domain })])));
const segmentOf = (n) => (n >= 1000 ? 'enterprise' : n >= 100 ? 'mid-market' : 'smb');
const rows = customers.map((c) => {
  const company = companies.get(domainOf(c.email));
  return { id: c.id, industry: company.industry, employees: company.employees, segment: segmentOf(company.employees) };
});
await Promise.all(rows.map(({ id, ...body }) => api.crm.customers.update({ id, body })));
const bySegment = {};
const byIndustry = {};
for (const row of rows) {
  bySegment[row.segment] = (bySegment[row.segment] ?? 0) + 1;
  byIndustry[row.industry] = (byIndustry[row.industry] ?? 0) + 1;
}
return { updated: rows.length, bySegment, byIndustry };
`;

export const customersScenario: Scenario = {
  id: 'customers',
  group: 'crm',
  title: 'Enrichment of 150 customer records',
  createBackend,
  task: 'Enrich every customer in the CRM: look up their company by the domain of their email address, and set industry, employees and segment (enterprise: 1000+ employees, mid-market: 100+, otherwise smb) on the record. Answer with {updated, bySegment, byIndustry} (counts).',
  atpCode,
  baselineStep,
  judge: () => '',
};
