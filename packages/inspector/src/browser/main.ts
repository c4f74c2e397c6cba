import { InspectorAPI } from './api.js';
import { Connection } from './connection.js';
import { type DeclaredMember, parseDeclarations } from './declarations.js';
import { byId, errorMessage, notify } from './dom.js';
import { createEditor } from './editor.js';
import { Explorer } from './explorer.js';
import { HistoryView } from './history-view.js';
import { Runner } from './runner.js';

const SAMPLE = `// api.* and atp.* complete as you type (Ctrl+Space). Ctrl+Enter runs.
atp.log.info('starting');
const approval = await atp.approval.request('May I continue?');
if (!approval.approved) return 'stopped: ' + (approval.reason ?? 'denied');
atp.progress.report('approved', 1);
return 'approved';
`;

/** The ATP API lives next to the page: `<base>/inspector/` → `<base>/api/…`. */
const api = new InspectorAPI(new URL('../', window.location.href).href);
let declarations = new Map<string, DeclaredMember>();

async function loadDeclarations(): Promise<void> {
  const [definitions, runtime] = await Promise.all([api.definitions({ detail: 'full' }), api.runtime()]);
  declarations = new Map([...parseDeclarations(definitions.typescript), ...parseDeclarations(runtime)]);
}

const editor = createEditor({
  parent: byId('editor'),
  code: SAMPLE,
  declarations: () => declarations,
  onRun: () => void runner.run(),
});
const history = new HistoryView(api);
const runner = new Runner(
  api,
  () => editor.getCode(),
  () => void history.refresh(),
);
const explorer = new Explorer(api, (call) => editor.insert(call));
const connection = new Connection(api, () => {
  void loadDeclarations().catch((error) => notify(`Could not load the declarations: ${errorMessage(error)}`));
  void explorer.loadTree();
  void history.refresh();
});

connection.bind();
runner.bind();
explorer.bind();
history.bind();
connection.render();
api
  .info()
  .then((info) => {
    byId('server-info').textContent = `server ${info.version}`;
  })
  .catch((error) => notify(`The ATP server did not answer: ${errorMessage(error)}`));
// Exposed for tests and the curious: the editor view (CodeMirror) — no secrets on it.
(window as unknown as { atpInspector: unknown }).atpInspector = { editor };
