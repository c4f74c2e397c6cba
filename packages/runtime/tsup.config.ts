import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node24',
  // Code that runs inside the sandbox is type-checked JavaScript, embedded as text.
  loader: { '.sandbox.js': 'text' },
  // `import.meta.url` in the CommonJS build (amaro-instance.ts resolves amaro from it).
  shims: true,
});
