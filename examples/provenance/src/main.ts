// One command: starts an ATP server with provenance tracking, then runs two agent programs against it
// through the client SDK: one that follows a prompt injection (blocked) and the user's real request.
import { fileURLToPath } from 'node:url';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { preventDataExfiltration, requireUserOrigin } from '@agent-tool-protocol/provenance';
import { createServer, ProvenanceMode } from '@agent-tool-protocol/server';
import { INJECTED, LEGITIMATE } from './agent-code.ts';
import { mailApi, USER } from './mail-api.ts';

const api = mailApi();
const server = createServer({
  auth: { jwtSecret: process.env.ATP_JWT_SECRET ?? 'provenance-example-secret-0123456789' },
  logger: { level: 'warn' },
  execution: {
    provenanceMode: ProvenanceMode.AST,
    securityPolicies: [preventDataExfiltration, requireUserOrigin({ tools: ['mail.send'], params: ['to'] })],
    rules: fileURLToPath(new URL('../rules.yaml', import.meta.url)),
    security: { user: [USER] },
  },
});
server.addAPIGroup(api.group).addAPIGroup(api.news);
await server.listen(Number(process.env.PORT ?? 0));

try {
  const client = new AgentToolProtocolClient({ baseUrl: server.url! }).provideApproval(async (message) => {
    console.log(`  approval asked: ${message} -> yes`);
    return { approved: true };
  });
  await client.init({ name: 'provenance-example' });

  const definitions = await client.getDefinitions();
  console.log(`Guidance sent with the definitions:\n${definitions.typescript.split('*/')[0]}*/\n`);

  console.log('1. Agent code that follows the instruction injected in the newsletter:');
  const attack = await client.execute(INJECTED);
  console.log(`  status: ${attack.status}`);
  console.log(`  ${attack.error?.message}\n`);

  console.log('2. The user’s own request (summary to herself, public news to a friend):');
  const legit = await client.execute(LEGITIMATE);
  console.log(`  status: ${legit.status}, result: ${JSON.stringify(legit.result)}`);

  console.log('\nOutbox:');
  for (const mail of api.outbox) console.log(`  to ${mail.to}: ${JSON.stringify(mail.body)}`);
  if (attack.status !== 'security_violation' || legit.status !== 'completed') process.exitCode = 1;
} finally {
  await server.shutdown(1000);
}
