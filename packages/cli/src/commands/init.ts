import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { PETSTORE_MOCK } from '../starter/petstore-mock.js';
import { PETSTORE_SPEC } from '../starter/petstore-spec.js';
import { STARTER_CONFIG } from '../starter-config.js';
import type { CommandContext } from './context.js';
import { parseCommandArgs } from './options.js';

export const INIT_HELP = `Usage: atp init [file] [--force]

Writes a commented starter config (default ./atp.config.yaml) and, next to it, a small local Petstore
spec (petstore.yaml) with a dependency-free mock server for it (petstore-mock.mjs), so \`atp serve\`
works at once and without the internet. Refuses to overwrite existing files unless --force is given.
`;

export async function initCommand(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'init',
    args,
    { force: { type: 'boolean', short: 'f' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    context.stdout.write(INIT_HELP);
    return ExitCode.OK;
  }
  if (positionals.length > 1) throw usageError('atp init takes at most one file name');
  const configPath = resolve(context.cwd, positionals[0] ?? 'atp.config.yaml');
  const dir = dirname(configPath);
  const files = [
    { path: configPath, text: STARTER_CONFIG },
    { path: join(dir, 'petstore.yaml'), text: PETSTORE_SPEC },
    { path: join(dir, 'petstore-mock.mjs'), text: PETSTORE_MOCK },
  ];
  const existing = files.filter((file) => existsSync(file.path)).map((file) => file.path);
  if (existing.length > 0 && !values.force) {
    const [verb, pronoun] = existing.length === 1 ? ['exists', 'it'] : ['exist', 'them'];
    throw usageError(`${existing.join(', ')} already ${verb}; use --force to overwrite ${pronoun}`);
  }
  for (const file of files) await writeFile(file.path, file.text, 'utf8');
  const configFlag = basename(configPath) === 'atp.config.yaml' ? '' : ` --config ${basename(configPath)}`;
  context.stdout.write(
    `${files.map((file) => `wrote ${file.path}`).join('\n')}
next:
  node petstore-mock.mjs        # the Petstore API on http://127.0.0.1:4010 (in another terminal)
  atp serve${configFlag}                     # the gateway on http://127.0.0.1:3333
  echo 'return await api.petstore.pet.findPetsByStatus({ status: "available" })' | atp exec -${configFlag}
`,
  );
  return ExitCode.OK;
}
