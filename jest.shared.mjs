// Shared jest settings. Every workspace package's jest.config.mjs spreads `jestPreset(import.meta.url)`.
// Tests import sibling workspace packages from their TypeScript source (see docs/architecture.md).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

// ESM-only dependencies that jest (CommonJS runtime) must transpile.
const esmDependencies = [
  'jose',
  'pkce-challenge',
  'eventsource-parser',
  'gpt-tokenizer',
  'stemmer',
  '@apidevtools.json-schema-ref-parser',
];

export function jestPreset(configUrl, overrides = {}) {
  const dir = dirname(fileURLToPath(configUrl));
  return {
    displayName: dir.slice(root.length + 1),
    rootDir: dir,
    testEnvironment: 'node',
    // Generous: tests start real servers and isolates on a 2-core machine; nothing asserts timing.
    testTimeout: 30_000,
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      // Sandbox-side JavaScript (`*.sandbox.js`) is loaded as text, like tsup's `text` loader builds it.
      '^(?!.*\\.sandbox\\.js$).+\\.(t|j|mj)sx?$': [
        '@swc/jest',
        {
          jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
          module: { type: 'commonjs' },
        },
      ],
      '\\.sandbox\\.js$': join(root, 'scripts/jest-text-transform.cjs'),
    },
    transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${esmDependencies.join('|')}))`],
    moduleNameMapper: {
      '^(\\.{1,2}/.*)\\.js$': '$1',
      '^@agent-tool-protocol/([a-z-]+)$': join(root, 'packages/$1/src/index.ts'),
      // Subpath entries (`@agent-tool-protocol/server/otel`) live in `src/<entry>/index.ts`.
      '^@agent-tool-protocol/([a-z-]+)/([a-z-]+)$': join(root, 'packages/$1/src/$2/index.ts'),
    },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    ...overrides,
  };
}
