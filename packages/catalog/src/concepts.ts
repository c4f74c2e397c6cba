// A small lexicon of API vocabulary: words that name the same action or thing. The hashing embedder
// adds a shared `concept:` feature for every word of a group, so "remove" and "delete", or "folder"
// and "directory", land near each other. General software and REST vocabulary only: no API's names.

const CONCEPT_GROUPS: readonly (readonly string[])[] = [
  // actions
  [
    'create',
    'add',
    'new',
    'make',
    'open',
    'post',
    'insert',
    'register',
    'start',
    'publish',
    'submit',
    'file',
  ],
  ['delete', 'remove', 'erase', 'drop', 'destroy', 'discard', 'purge', 'unregister', 'clear'],
  ['update', 'edit', 'modify', 'change', 'patch', 'alter', 'set', 'rename', 'replace', 'configure'],
  ['get', 'fetch', 'read', 'retrieve', 'show', 'view', 'look', 'lookup', 'find', 'see', 'display', 'load'],
  ['list', 'all', 'enumerate', 'browse', 'index', 'every'],
  ['search', 'find', 'query', 'lookup', 'filter', 'discover'],
  ['write', 'save', 'store', 'put', 'persist', 'upload', 'commit'],
  ['send', 'email', 'mail', 'notify', 'message', 'deliver'],
  ['close', 'resolve', 'finish', 'complete', 'done', 'end'],
  ['cancel', 'abort', 'stop', 'halt', 'terminate', 'kill'],
  ['run', 'execute', 'trigger', 'dispatch', 'invoke', 'launch', 'kick'],
  ['rerun', 're', 'retry', 'restart', 'again'],
  ['download', 'export', 'archive', 'zip', 'tarball', 'tar'],
  ['move', 'rename', 'relocate', 'transfer'],
  ['copy', 'fork', 'clone', 'duplicate'],
  ['merge', 'combine', 'integrate', 'land'],
  ['compare', 'diff', 'difference', 'changed', 'changes'],
  ['approve', 'accept', 'review', 'sign'],
  ['reject', 'decline', 'dismiss', 'deny'],
  ['invite', 'invitation', 'ask', 'request'],
  ['follow', 'follower', 'following', 'subscribe', 'watch', 'watcher'],
  ['star', 'stargazer', 'favorite', 'favourite', 'like', 'bookmark'],
  ['react', 'reaction', 'emoji', 'thumb', 'upvote'],
  ['lock', 'freeze', 'restrict', 'protect', 'protection'],
  ['unlock', 'unfreeze', 'unrestrict'],
  ['enable', 'activate', 'turn', 'allow'],
  ['disable', 'deactivate', 'block', 'forbid'],
  ['check', 'verify', 'test', 'validate', 'is'],
  ['render', 'convert', 'format', 'html'],
  ['count', 'many', 'number', 'total', 'statistic', 'stat', 'metric', 'traffic'],
  // things
  [
    'user',
    'account',
    'person',
    'people',
    'member',
    'customer',
    'profile',
    'me',
    'someone',
    'username',
    'login',
  ],
  ['organization', 'org', 'company', 'enterprise'],
  ['team', 'group', 'squad'],
  ['repository', 'repo', 'codebase'],
  ['issue', 'ticket', 'bug', 'task'],
  ['pull', 'pr', 'merge', 'patch'],
  ['comment', 'reply', 'note', 'remark', 'discussion'],
  ['file', 'document', 'content', 'contents', 'blob', 'text'],
  ['directory', 'folder', 'dir', 'path', 'tree'],
  ['branch', 'ref', 'reference', 'head'],
  ['tag', 'version', 'label'],
  ['release', 'version', 'ship', 'publish'],
  ['asset', 'binary', 'attachment', 'artifact', 'upload'],
  ['secret', 'credential', 'password', 'token', 'key'],
  ['key', 'ssh', 'gpg', 'public'],
  ['webhook', 'hook', 'callback', 'event'],
  ['notification', 'alert', 'inbox', 'unread'],
  ['workflow', 'pipeline', 'ci', 'build', 'action', 'job', 'run'],
  ['log', 'output', 'trace'],
  ['collaborator', 'contributor', 'access', 'permission', 'maintainer'],
  ['gist', 'snippet', 'paste'],
  ['limit', 'quota', 'remaining', 'left', 'rate', 'throttle'],
  ['license', 'licence', 'copyright'],
  ['template', 'boilerplate', 'scaffold'],
  ['topic', 'keyword', 'subject', 'category'],
  ['language', 'programming'],
  ['milestone', 'deadline', 'goal'],
  ['commit', 'change', 'revision', 'sha'],
  ['status', 'state', 'health', 'result', 'passed', 'failed', 'check'],
  ['deal', 'opportunity', 'pipeline', 'sale'],
  ['stage', 'step', 'phase', 'next'],
  ['info', 'information', 'metadata', 'detail', 'details', 'attribute', 'size'],
  ['view', 'visit', 'traffic', 'page'],
  ['assign', 'assignee', 'owner', 'responsible'],
];

/** Word → the concept ids (indexes into CONCEPT_GROUPS) it belongs to. */
const CONCEPTS_BY_WORD: ReadonlyMap<string, readonly number[]> = (() => {
  const byWord = new Map<string, number[]>();
  CONCEPT_GROUPS.forEach((words, concept) => {
    for (const word of words) {
      const ids = byWord.get(word) ?? [];
      if (!ids.includes(concept)) ids.push(concept);
      byWord.set(word, ids);
    }
  });
  return byWord;
})();

const NO_CONCEPTS: readonly number[] = [];

/** The concept ids of a (lowercased, stemmed) word; empty for words outside the lexicon. */
export function conceptsOf(word: string): readonly number[] {
  return CONCEPTS_BY_WORD.get(word) ?? NO_CONCEPTS;
}
