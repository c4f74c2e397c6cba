import { jestPreset } from '../../jest.shared.mjs';

export default jestPreset(import.meta.url);
