import { defineConfig } from 'tsup';

export default defineConfig({
  // `otel` is the opt-in entry with the OpenTelemetry SDK: `@agent-tool-protocol/server/otel`.
  entry: { index: 'src/index.ts', 'otel/index': 'src/otel/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node24',
});
