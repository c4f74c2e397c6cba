import { PausedTracker } from '../src/executions/paused-tracker';

describe('PausedTracker', () => {
  it('counts paused executions per client, forgetting ended and expired ones', async () => {
    const tracker = new PausedTracker(0.2);
    tracker.paused('a', 'e1');
    tracker.paused('a', 'e2');
    tracker.paused('b', 'e3');
    expect(tracker.count('a')).toBe(2);
    tracker.ended('a', 'e1');
    expect(tracker.count('a')).toBe(1);
    expect(tracker.total).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tracker.total).toBe(0);
  });
});
