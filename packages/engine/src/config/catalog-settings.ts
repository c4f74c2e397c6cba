import { DEFAULT_MAX_PAGE_ITEMS } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

/** The engine's catalog options that are data (docs/validation.md, docs/pagination.md). */
export const CatalogSettingsSchema = z
  .object({
    /**
     * Check tool results against their output schema: `warn` logs each distinct problem once,
     * `enforce` also fails a call whose result breaks a declared schema (INVALID_OUTPUT).
     */
    validateOutputs: z.enum(['off', 'warn', 'enforce']).default('off'),
    /** `api.<fn>.paginate()` / `.all()`. */
    pagination: z
      .object({
        /** Items a listing yields when agent code passes no `max`. */
        defaultMaxItems: z.number().int().positive().default(DEFAULT_MAX_PAGE_ITEMS),
      })
      .prefault({}),
  })
  .prefault({});

export type CatalogSettings = z.output<typeof CatalogSettingsSchema>;
