import { Catalog } from '@agent-tool-protocol/catalog';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup, EmbeddingsLike, FunctionDef } from '@agent-tool-protocol/protocol';

// Catalog fixtures for the definitions tests and the latency benchmark: GitHub's REST API
// (1,200+ operations from @octokit/openapi, with its tag descriptions as namespace descriptions),
// a custom CRM group and an MCP-style filesystem group. The search-quality evaluation does not use
// them (see harness.ts).

const noop = () => undefined;

function fn(name: string, description: string, properties: Record<string, string> = {}): FunctionDef {
  const schemaProperties = Object.fromEntries(
    Object.entries(properties).map(([key, type]) => [key, { type }]),
  );
  return {
    name,
    description,
    inputSchema: {
      type: 'object',
      properties: schemaProperties,
      required: Object.keys(properties).slice(0, 1),
    },
    handler: noop,
  };
}

/** A small CRM, registered in code (`custom`). */
export function crmGroup(): APIGroup {
  return {
    name: 'crm',
    type: 'custom',
    description: 'Customer relationship management: users, deals, notes and emails',
    functions: [
      fn('users.create', 'Create a user', { email: 'string', name: 'string' }),
      fn('users.get', 'Get a user by id', { id: 'string' }),
      fn('users.list', 'List users, optionally filtered by company', { company: 'string' }),
      fn('users.update', 'Update a user', { id: 'string', name: 'string' }),
      fn('users.delete', 'Delete a user', { id: 'string' }),
      fn('deals.create', 'Create a deal for a user', { userId: 'string', amount: 'number' }),
      fn('deals.list', 'List deals', { stage: 'string' }),
      fn('deals.updateStage', 'Update the pipeline stage of a deal', { id: 'string', stage: 'string' }),
      fn('notes.add', 'Add a note to a user or deal', { targetId: 'string', text: 'string' }),
      fn('emails.send', 'Send an email to a user', { userId: 'string', subject: 'string', body: 'string' }),
    ],
  };
}

/** The tools of the reference MCP filesystem server, as the MCP adapter registers them. */
export function filesystemGroup(): APIGroup {
  return {
    name: 'filesystem',
    type: 'mcp',
    description: 'Secure file operations within allowed directories',
    functions: [
      fn('read_file', 'Read the complete contents of a file from the file system', { path: 'string' }),
      fn('read_multiple_files', 'Read the contents of multiple files simultaneously', { paths: 'array' }),
      fn('write_file', 'Create a new file or completely overwrite an existing file with new content', {
        path: 'string',
        content: 'string',
      }),
      fn('edit_file', 'Make line-based edits to a text file', { path: 'string', edits: 'array' }),
      fn('create_directory', 'Create a new directory or ensure a directory exists', { path: 'string' }),
      fn('list_directory', 'Get a detailed listing of all files and directories in a specified path', {
        path: 'string',
      }),
      fn('directory_tree', 'Get a recursive tree view of files and directories as a JSON structure', {
        path: 'string',
      }),
      fn('move_file', 'Move or rename files and directories', { source: 'string', destination: 'string' }),
      fn('search_files', 'Recursively search for files and directories matching a pattern', {
        path: 'string',
        pattern: 'string',
      }),
      fn('get_file_info', 'Retrieve detailed metadata about a file or directory', { path: 'string' }),
      fn('list_allowed_directories', 'Returns the list of directories that this server is allowed to access'),
    ],
  };
}

/** GitHub's OpenAPI document from `@octokit/openapi` (a variable specifier: resolved at run time, from this package). */
export async function loadGithubSpec(): Promise<Record<string, unknown>> {
  const specifier = '@octokit/openapi/generated/api.github.com.json';
  const loaded = (await import(specifier, { with: { type: 'json' } })) as {
    default: Record<string, unknown>;
  };
  return loaded.default;
}

/**
 * GitHub's API as `@agent-tool-protocol/openapi` loads it, with the spec's tag descriptions as
 * namespace descriptions (`metadata.namespaces`) for the compact definitions.
 */
export async function githubGroup(spec: Record<string, unknown>): Promise<APIGroup> {
  const group = await loadOpenAPI({ name: 'github', spec: structuredClone(spec) });
  const tags = (spec.tags ?? []) as { name: string; description?: string }[];
  const namespaces: Record<string, string> = {};
  for (const tag of tags) {
    const name = tag.name.replace(/[-_ ]+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
    if (tag.description) namespaces[name] = tag.description;
  }
  return { ...group, description: 'GitHub REST API', metadata: { ...group.metadata, namespaces } };
}

/** GitHub, the CRM and the filesystem group; with `embeddings`, the vector index is built before it returns. */
export async function fixtureCatalog(embeddings?: EmbeddingsLike): Promise<Catalog> {
  const catalog = new Catalog(embeddings ? { semanticSearch: { embeddings } } : {});
  catalog.addGroup(await githubGroup(await loadGithubSpec()));
  catalog.addGroup(crmGroup());
  catalog.addGroup(filesystemGroup());
  if (embeddings && !(await catalog.prepareSemanticSearch()))
    throw new Error('the embedding index did not build');
  return catalog;
}
