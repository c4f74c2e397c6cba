/**
 * The port to listen on: a number, or a string of digits as in `start(process.env.PORT || 3333)`.
 * Anything else is a TypeError naming the value.
 */
export function listenPort(port: number | string): number {
  const value = typeof port === 'string' && /^\s*\d+\s*$/.test(port) ? Number(port) : port;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new TypeError(`The port must be an integer from 0 to 65535 (got ${JSON.stringify(port)}).`);
  }
  return value;
}
