import { jestPreset } from '../../jest.shared.mjs';

// Examples run against the built packages, as a user's copy would.
export default jestPreset(import.meta.url, { moduleNameMapper: {} });
