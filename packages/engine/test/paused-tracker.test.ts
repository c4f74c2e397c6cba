import { PausedTracker } from '../src/executions/paused-tracker';

describe('PausedTracker', () => {
  it('counts paused executions per client, forgets ended and expired ones, and refuses beyond the limit', async () => {
    const tracker = new PausedTracker(2, 0.2);
    tracker.paused('a', 'e1');
    tracker.paused('a', 'e2');
    tracker.paused('b', 'e3');
    expect(tracker.count('a')).toBe(2);
    expect(() => tracker.assertRoom('a')).toThrow(
      /holds 2 paused executions \(execution\.maxPausedPerClient is 2\)/,
    );
    expect(() => tracker.assertRoom('b')).not.toThrow();
    tracker.ended('a', 'e1');
    expect(() => tracker.assertRoom('a')).not.toThrow();
    expect(tracker.total).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tracker.total).toBe(0);
  });
});
