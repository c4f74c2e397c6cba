import { jestPreset } from '../../jest.shared.mjs';

const preset = jestPreset(import.meta.url);
const swc = Object.values(preset.transform)[0];

// The OTLP exporter's CommonJS build loads node:http with a dynamic import(), which jest's CommonJS
// runtime rejects; transpiling that one package turns it into require().
export default {
  ...preset,
  transform: { ...preset.transform, '@opentelemetry/otlp-exporter-base/.+\\.cjs$': swc },
  transformIgnorePatterns: preset.transformIgnorePatterns.map((pattern) =>
    pattern.replace('(?!(\\.pnpm/)?(', '(?!(\\.pnpm/)?(@opentelemetry.otlp-exporter-base|'),
  ),
};
