/** A key is secret when its normalised form ends with one of these (`authorization`, `x-api-key`, `githubToken`). */
export const SECRET_KEY_ENDINGS: readonly string[] = [
  'token',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'authorization',
  'apikey',
  'cookie',
  'credential',
  'credentials',
  'privatekey',
  'sessionid',
];

/** A key name lower-cased without `-`, `_` and spaces, the form `SECRET_KEY_ENDINGS` is compared with. */
export const normaliseKeyName = (key: string): string => key.toLowerCase().replace(/[-_\s]/g, '');

/** Whether a property or header name looks like it holds a secret. */
export const isSecretKeyName = (key: string): boolean => {
  const normalised = normaliseKeyName(key);
  return SECRET_KEY_ENDINGS.some((ending) => normalised.endsWith(ending));
};
