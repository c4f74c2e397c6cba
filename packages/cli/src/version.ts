/** Kept in step with package.json by the release (changesets bump both). */
export const VERSION = '0.1.0';
