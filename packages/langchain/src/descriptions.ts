// Tool descriptions are the model's manual for ATP: they teach the shapes of agent code.

export const SEARCH_DESCRIPTION = `Find API functions by what they do (natural language or keywords, e.g. "close a ticket").
Returns one TypeScript signature per function, like \`api.<group>.<function>(input: {...}): Promise<...>\`,
with a description. Search before writing code for atp_execute_code; call functions exactly as listed.`;

export const EXPLORE_DESCRIPTION = `Browse the API tree like a file system. Path "/" lists the API kinds; deeper
paths (e.g. "/custom/desk") list groups and functions; a function path returns its full TypeScript
definition with input and output types. Use it when a search hit needs its exact types.`;

export const DEFINITIONS_DESCRIPTION = `The TypeScript declarations of \`api.*\` (inputs and outputs) and of the
\`atp.*\` runtime helpers, optionally for some API groups only. Long: prefer atp_search_api first.`;

export const EXECUTE_DESCRIPTION = `Run JavaScript (TypeScript types are fine) in a secure sandbox and get its return value.
The code is the body of an async function: use \`await\` and end with \`return <value>\`.
- Call APIs as \`await api.<group>.<function>(input)\` with the names from atp_search_api; inputs and outputs are JSON.
- Run independent calls in parallel: \`await Promise.all(ids.map((id) => api.<group>.<function>({ id })))\`.
- Filter, join, count and summarise inside the code; return only what is needed to answer, never whole lists.
- Runtime helpers (when this client provides them): \`atp.llm.call(prompt)\` → string,
  \`atp.llm.extract(prompt, jsonSchema)\` → object, \`atp.llm.classify(text, categories)\` → one category,
  \`atp.approval.request(message, context)\` → { approved, reason }, \`atp.embedding.embed(text)\` → id, then
  \`atp.embedding.search(query, { topK })\` → [{ id, text, similarity }],
  \`atp.cache.get(key)\` / \`atp.cache.set(key, value, ttlSeconds)\`, \`atp.log.info(message, data)\`.
- There is no fetch, require, process, file system or timers: only \`api.*\` and \`atp.*\` reach the outside.
The answer starts with the status (completed, failed, timeout, security_violation, paused, …);
on failure it carries the error and what to do next.`;
