// Our server for the side-by-side benchmark, in its own process: `node --no-node-snapshot our-server.ts`.
// Prints {"url": …} once listening; exits when its stdin closes.
import { announce, startOurServer } from './start-our-server.ts';

announce(await startOurServer());
