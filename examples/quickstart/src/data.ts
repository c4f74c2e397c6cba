// Deterministic sample data for the support desk: enough rows that filtering in code matters.
export interface User {
  id: string;
  name: string;
  email: string;
  team: 'billing' | 'technical' | 'accounts';
}

export interface Ticket {
  id: string;
  title: string;
  status: 'open' | 'pending' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  requesterEmail: string;
  assigneeId: string | null;
  tags: string[];
  createdAt: string;
}

export interface Comment {
  id: string;
  ticketId: string;
  authorId: string;
  body: string;
  createdAt: string;
}

const teams = ['billing', 'technical', 'accounts'] as const;
const statuses = ['open', 'pending', 'closed'] as const;
const priorities = ['low', 'normal', 'high', 'urgent'] as const;
const topics = ['refund', 'login', 'invoice', 'outage', 'upgrade', 'password', 'export', 'api-key'];
const firstNames = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'Alan',
  'Radia',
];

/** A small pseudo-random generator so every run sees the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export function createDeskData() {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const users: User[] = Array.from({ length: 30 }, (_, i) => {
    const name = `${firstNames[i % firstNames.length]} ${String.fromCharCode(65 + (i % 26))}.`;
    return { id: `U${100 + i}`, name, email: `agent${i}@desk.example`, team: teams[i % teams.length]! };
  });
  const tickets: Ticket[] = Array.from({ length: 400 }, (_, i) => {
    const topic = pick(topics);
    return {
      id: `T${1000 + i}`,
      title: `${topic.replace('-', ' ')} issue #${i}`,
      status: pick(statuses),
      priority: pick(priorities),
      requesterEmail: `customer${Math.floor(next() * 120)}@mail.example`,
      assigneeId: next() < 0.85 ? pick(users).id : null,
      tags: [topic, ...(next() < 0.3 ? ['vip'] : [])],
      createdAt: new Date(Date.UTC(2026, 9, 1) + i * 3_600_000).toISOString(),
    };
  });
  const comments: Comment[] = Array.from({ length: 1200 }, (_, i) => {
    const ticket = tickets[Math.floor(next() * tickets.length)]!;
    return {
      id: `C${i}`,
      ticketId: ticket.id,
      authorId: pick(users).id,
      body: next() < 0.5 ? 'Looking into it.' : 'Customer replied with more details.',
      createdAt: new Date(Date.parse(ticket.createdAt) + (i % 48) * 600_000).toISOString(),
    };
  });
  return { users, tickets, comments };
}
