// One jest run over every workspace project, so `pnpm test` prints a single summary.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;
const workspaceDirs = [
  ...['packages', 'examples'].flatMap((parent) =>
    existsSync(join(root, parent)) ? readdirSync(join(root, parent)).map((name) => join(parent, name)) : [],
  ),
  'bench',
];

export default {
  projects: workspaceDirs
    .filter((dir) => existsSync(join(root, dir, 'jest.config.mjs')))
    .map((dir) => `<rootDir>/${dir}`),
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
};
