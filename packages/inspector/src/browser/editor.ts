import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { EditorState } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';
import { type DeclaredMember, memberAt } from './declarations.js';

export interface CodeEditor {
  view: EditorView;
  getCode(): string;
  setCode(code: string): void;
  insert(text: string): void;
}

function completionOf(member: DeclaredMember): Completion {
  return {
    label: member.name,
    type: member.kind === 'namespace' ? 'namespace' : member.kind === 'function' ? 'method' : 'property',
    ...(member.signature ? { detail: member.signature } : {}),
    ...(member.doc ? { info: member.doc } : {}),
  };
}

/** Completes `api.…` and `atp.…` paths from the declarations the server generated. */
export function declarationCompletions(roots: () => Map<string, DeclaredMember>) {
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[\w$]+(?:\.[\w$]*)*/);
    if (!word) return null;
    const segments = word.text.split('.');
    const typed = segments.pop() ?? '';
    const from = word.to - typed.length;
    if (segments.length === 0) {
      if (!context.explicit && typed.length === 0) return null;
      return { from, options: [...roots().values()].map(completionOf), validFor: /^[\w$]*$/ };
    }
    const parent = memberAt(roots(), segments);
    if (!parent || parent.children.size === 0) return null;
    return { from, options: [...parent.children.values()].map(completionOf), validFor: /^[\w$]*$/ };
  };
}

/** A CodeMirror 6 editor in TypeScript mode; Ctrl/Cmd-Enter calls `onRun`. */
export function createEditor(options: {
  parent: HTMLElement;
  code: string;
  declarations: () => Map<string, DeclaredMember>;
  onRun: () => void;
}): CodeEditor {
  const run = () => {
    options.onRun();
    return true;
  };
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.code,
      extensions: [
        keymap.of([{ key: 'Mod-Enter', run }, indentWithTab]),
        basicSetup,
        javascript({ typescript: true }),
        autocompletion({ override: [declarationCompletions(options.declarations)], activateOnTyping: true }),
        EditorView.lineWrapping,
      ],
    }),
  });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode: (code) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } }),
    insert: (text) => {
      const { from, to } = view.state.selection.main;
      view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
      view.focus();
    },
  };
}
