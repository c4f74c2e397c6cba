// The shop's in-memory data: a few products, customers and orders, the same on every run.
export interface Product {
  sku: string;
  name: string;
  category: 'tea' | 'coffee' | 'accessories';
  priceCents: number;
  stock: number;
  reorderLevel: number;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  tier: 'standard' | 'gold';
}

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  customerId: string;
  status: 'open' | 'shipped' | 'cancelled';
  lines: OrderLine[];
  totalCents: number;
  createdAt: string;
}

export interface ShopData {
  products: Map<string, Product>;
  customers: Map<string, Customer>;
  orders: Map<string, Order>;
  nextOrderNumber: number;
}

const products: Product[] = [
  { sku: 'TEA-001', name: 'Sencha, 100 g', category: 'tea', priceCents: 890, stock: 42, reorderLevel: 10 },
  {
    sku: 'TEA-002',
    name: 'Assam breakfast, 250 g',
    category: 'tea',
    priceCents: 1150,
    stock: 6,
    reorderLevel: 8,
  },
  {
    sku: 'TEA-003',
    name: 'Rooibos vanilla, 100 g',
    category: 'tea',
    priceCents: 760,
    stock: 0,
    reorderLevel: 5,
  },
  {
    sku: 'COF-001',
    name: 'Espresso beans, 1 kg',
    category: 'coffee',
    priceCents: 2490,
    stock: 18,
    reorderLevel: 6,
  },
  {
    sku: 'COF-002',
    name: 'Filter coffee, 500 g',
    category: 'coffee',
    priceCents: 1290,
    stock: 3,
    reorderLevel: 6,
  },
  {
    sku: 'ACC-001',
    name: 'Glass teapot',
    category: 'accessories',
    priceCents: 3400,
    stock: 9,
    reorderLevel: 3,
  },
  {
    sku: 'ACC-002',
    name: 'Pour-over dripper',
    category: 'accessories',
    priceCents: 2200,
    stock: 2,
    reorderLevel: 4,
  },
];

const customers: Customer[] = [
  { id: 'C-100', name: 'Ada Byron', email: 'ada@example.com', tier: 'gold' },
  { id: 'C-101', name: 'Grace Hopper', email: 'grace@example.com', tier: 'standard' },
  { id: 'C-102', name: 'Alan Turing', email: 'alan@example.com', tier: 'standard' },
];

function line(sku: string, quantity: number): OrderLine {
  const product = products.find((candidate) => candidate.sku === sku)!;
  return { sku, quantity, unitPriceCents: product.priceCents };
}

function order(
  id: string,
  customerId: string,
  status: Order['status'],
  lines: OrderLine[],
  day: number,
): Order {
  const totalCents = lines.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  return {
    id,
    customerId,
    status,
    lines,
    totalCents,
    createdAt: new Date(Date.UTC(2026, 10, day)).toISOString(),
  };
}

export function createShopData(): ShopData {
  const orders = [
    order('O-1001', 'C-100', 'shipped', [line('TEA-001', 2), line('ACC-001', 1)], 2),
    order('O-1002', 'C-101', 'open', [line('COF-001', 1)], 5),
    order('O-1003', 'C-100', 'open', [line('TEA-002', 3), line('COF-002', 1)], 9),
    order('O-1004', 'C-102', 'open', [line('ACC-002', 1), line('COF-001', 2)], 12),
  ];
  return {
    products: new Map(products.map((product) => [product.sku, { ...product }])),
    customers: new Map(customers.map((customer) => [customer.id, { ...customer }])),
    orders: new Map(orders.map((item) => [item.id, item])),
    nextOrderNumber: 1005,
  };
}
