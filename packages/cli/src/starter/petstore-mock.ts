/** `petstore-mock.mjs`, written by `atp init`: a dependency-free local server for petstore.yaml. */
export const PETSTORE_MOCK = `// A local stand-in for the Swagger Petstore, written by \`atp init\`: \`node petstore-mock.mjs\`.
// Serves the operations of petstore.yaml at http://127.0.0.1:4010/api/v3 (PETSTORE_PORT changes the port),
// from memory: restarting it resets the pets.
import { createServer } from 'node:http';

const port = Number(process.env.PETSTORE_PORT ?? 4010);
const pets = [
  { id: 1, name: 'Rex', category: 'Dogs', status: 'available' },
  { id: 2, name: 'Tom', category: 'Cats', status: 'available' },
  { id: 3, name: 'Polly', category: 'Birds', status: 'pending' },
  { id: 4, name: 'Goldie', category: 'Fish', status: 'sold' },
];

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/^\\/api\\/v3/, '');
  try {
    if (req.method === 'GET' && path === '/pet/findByStatus') {
      return send(res, 200, pets.filter((pet) => pet.status === (url.searchParams.get('status') ?? 'available')));
    }
    const byId = /^\\/pet\\/(\\d+)$/.exec(path);
    if (req.method === 'GET' && byId) {
      const pet = pets.find((candidate) => candidate.id === Number(byId[1]));
      return pet ? send(res, 200, pet) : send(res, 404, { message: 'Pet not found' });
    }
    if (req.method === 'POST' && path === '/pet') {
      const input = await readJson(req);
      if (typeof input.name !== 'string') return send(res, 400, { message: 'name is required' });
      const pet = { status: 'available', ...input, id: Math.max(0, ...pets.map((p) => p.id)) + 1 };
      pets.push(pet);
      return send(res, 200, pet);
    }
    if (req.method === 'GET' && path === '/store/inventory') {
      const counts = {};
      for (const pet of pets) counts[pet.status] = (counts[pet.status] ?? 0) + 1;
      return send(res, 200, counts);
    }
    send(res, 404, { message: \`No route for \${req.method} \${url.pathname}\` });
  } catch (error) {
    send(res, 400, { message: String(error) });
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(\`petstore mock listening on http://127.0.0.1:\${server.address().port}/api/v3\`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)));
`;
