import { ErrorCode } from './codes.js';
import { ToolCallError } from './errors.js';

/**
 * Reads at most `limit` bytes of an upstream response's body; a larger one (declared or streamed) is
 * cancelled and reported as `RESULT_TOO_LARGE`, naming `operation`. Shared by the HTTP loaders.
 */
export async function readBoundedBody(
  response: Response,
  limit: number,
  operation: string,
): Promise<Uint8Array> {
  const tooLarge = () =>
    new ToolCallError(`${operation} failed: the response is larger than ${limit} bytes`, {
      code: ErrorCode.RESULT_TOO_LARGE,
      status: response.status,
    });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
