import type { CacheProvider, PlannedEffect, PlanRecord } from '@agent-tool-protocol/protocol';
import type { PlanBinding } from '@agent-tool-protocol/provenance';

const planKey = (planId: string) => `atp:plan:${planId}`;
const effectsKey = (planId: string) => `atp:plan-effects:${planId}`;
const bindingKey = (executionId: string) => `atp:plan-exec:${executionId}`;
const claimKey = (planId: string) => `atp:plan-claim:${planId}`;
const usedKey = (planId: string, effectKey: string) => `atp:plan-used:${planId}:${effectKey}`;

const LOCAL_BINDINGS = 10_000;

/**
 * Plans, their effects and which executions plan or run them, in the cache provider: any server
 * instance sharing it can record, approve and enforce a plan (a durable resume included).
 */
export class PlanStore {
  /** Bindings are written before their execution starts, so a local miss is final per execution. */
  private readonly bindings = new Map<string, PlanBinding | null>();

  constructor(
    private readonly cache: CacheProvider,
    private readonly ttlSeconds: number,
  ) {}

  async bind(executionId: string, binding: PlanBinding): Promise<void> {
    await this.cache.set(bindingKey(executionId), binding, this.ttlSeconds);
    this.remember(executionId, binding);
  }

  async binding(executionId: string): Promise<PlanBinding | undefined> {
    const local = this.bindings.get(executionId);
    if (local !== undefined) return local ?? undefined;
    const stored = await this.cache.get<PlanBinding>(bindingKey(executionId));
    this.remember(executionId, stored ?? null);
    return stored;
  }

  async save(record: PlanRecord): Promise<void> {
    const ttl = Math.max(1, Math.ceil((record.expiresAt - Date.now()) / 1000));
    await this.cache.set(planKey(record.planId), record, ttl);
  }

  async load(planId: string): Promise<PlanRecord | undefined> {
    return this.cache.get<PlanRecord>(planKey(planId));
  }

  async appendEffect(planId: string, effect: PlannedEffect): Promise<void> {
    await this.cache.append(effectsKey(planId), effect, this.ttlSeconds);
  }

  async effects(planId: string): Promise<PlannedEffect[]> {
    return this.cache.range<PlannedEffect>(effectsKey(planId), 0, -1);
  }

  /** True for the one caller that may run the plan (plans are single-use). */
  async claim(planId: string, executionId: string): Promise<boolean> {
    return this.cache.setIfAbsent(claimKey(planId), executionId, this.ttlSeconds);
  }

  /** How many times the approved run has now performed the effect `effectKey` (this call included). */
  async consume(planId: string, effectKey: string): Promise<number> {
    return this.cache.increment(usedKey(planId, effectKey), 1, this.ttlSeconds);
  }

  private remember(executionId: string, binding: PlanBinding | null): void {
    if (this.bindings.size >= LOCAL_BINDINGS) {
      this.bindings.delete(this.bindings.keys().next().value as string);
    }
    this.bindings.set(executionId, binding);
  }
}
