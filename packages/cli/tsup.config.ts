import { defineConfig } from 'tsup';

export default defineConfig({
  // `cli` is the `atp` bin (its shebang is kept); `index` is the programmatic API.
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node24',
  onSuccess: 'chmod +x dist/cli.js',
});
