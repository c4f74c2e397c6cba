import { z } from 'zod';

const positiveInt = z.number().int().positive();
const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * `quotas` in the engine config: what one client may hold or send, the same whether state lives in
 * memory or in Redis (docs/security.md lists each with its default). Beyond one, the request fails with
 * `QUOTA_EXCEEDED` naming the quota and its limit; nothing of another client is touched.
 */
export const QuotasConfigSchema = z
  .object({
    /** `atp.cache.*` data of one client. */
    cache: z
      .object({
        /** Bytes of keys and values (JSON) one client keeps. */
        maxBytes: positiveInt.default(10 * MiB),
        /** Keys one client keeps. */
        maxEntries: positiveInt.default(1_000),
        /** TTL in seconds of a value stored without one. */
        defaultTTLSeconds: positiveInt.default(3_600),
        /** Longest TTL a value may ask for, in seconds. */
        maxTTLSeconds: positiveInt.default(86_400),
      })
      .prefault({}),
    /** What `init` may declare (kept in the client's session). */
    init: z
      .object({
        /** Client tools one init may declare. */
        maxTools: positiveInt.max(1_000).default(100),
        /** Bytes of the client tool definitions (JSON) one init may declare. */
        maxToolBytes: positiveInt.default(256 * KiB),
      })
      .prefault({}),
    /** `atp.log` / `console.*` of one execution (all its legs). */
    logs: z
      .object({
        maxEntries: positiveInt.default(1_000),
        /** Bytes of log messages and their data (JSON). */
        maxBytes: positiveInt.default(1 * MiB),
      })
      .prefault({}),
    /** Client callbacks (LLM prompts, approval requests, embedding texts, client tool inputs). */
    callbacks: z
      .object({
        /** Bytes of one callback's payload (JSON). */
        maxPayloadBytes: positiveInt.default(1 * MiB),
      })
      .prefault({}),
    /** Durable state of one client's executions: paused state and journals, over all instances. */
    paused: z
      .object({
        maxBytes: positiveInt.default(64 * MiB),
      })
      .prefault({}),
  })
  .prefault({});

export type QuotasConfig = z.output<typeof QuotasConfigSchema>;
export type QuotasConfigInput = z.input<typeof QuotasConfigSchema>;
