import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { STARTER_CONFIG } from '../starter-config.js';
import type { CommandContext } from './context.js';
import { parseCommandArgs } from './options.js';

export const INIT_HELP = `Usage: atp init [file] [--force]

Writes a commented starter config (default ./atp.config.yaml). Refuses to overwrite an existing file
unless --force is given.
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
  const path = resolve(context.cwd, positionals[0] ?? 'atp.config.yaml');
  if (existsSync(path) && !values.force) {
    throw usageError(`${path} already exists; use --force to overwrite it`);
  }
  await writeFile(path, STARTER_CONFIG, 'utf8');
  context.stdout.write(`wrote ${path}\nnext: edit it, then run \`atp serve\`\n`);
  return ExitCode.OK;
}
