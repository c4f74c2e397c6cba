import { type ExploreResponse, type SearchResult, searchResultCall } from '@agent-tool-protocol/protocol';
import type { InspectorAPI } from './api.js';
import { byId, errorMessage, h, notify } from './dom.js';
import { apiPathOf } from './explorer-paths.js';

/** Browsing and searching the catalog: search results with scores, the explore tree, declarations. */
export class Explorer {
  constructor(
    private readonly api: InspectorAPI,
    private readonly insertCall: (call: string) => void,
  ) {}

  bind(): void {
    byId<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.search(byId<HTMLInputElement>('search-input').value);
    });
    byId('show-tree').addEventListener('click', () => void this.loadTree());
    byId('show-definitions').addEventListener('click', () => void this.showDefinitions());
    byId('show-runtime').addEventListener('click', () => void this.showRuntime());
  }

  async search(query: string): Promise<void> {
    const list = byId('search-results');
    list.replaceChildren();
    if (!query.trim()) return;
    try {
      const results = await this.api.search(query);
      if (results.length === 0) list.append(h('li', { class: 'empty' }, 'No function matches.'));
      for (const result of results) list.append(this.searchItem(result));
    } catch (error) {
      notify(`Search failed: ${errorMessage(error)}`);
    }
  }

  private searchItem(result: SearchResult): HTMLElement {
    const item = h(
      'li',
      { class: 'search-result' },
      h('span', { class: 'score', title: 'relevance score' }, result.relevanceScore.toFixed(3)),
      h('code', { class: 'signature' }, searchResultCall(result)),
      result.description ? h('p', { class: 'description' }, result.description) : null,
    );
    item.addEventListener('click', () => {
      this.showDetail(
        `${result.apiGroup}.${result.functionName}`,
        searchResultCall(result),
        result.description,
      );
    });
    return item;
  }

  async loadTree(): Promise<void> {
    const tree = byId('api-tree');
    tree.replaceChildren();
    byId('declarations').hidden = true;
    tree.hidden = false;
    try {
      const root = await this.api.explore('/');
      if (root.type === 'directory')
        for (const item of root.items) tree.append(this.node(`/${item.name}`, item));
    } catch (error) {
      notify(`Could not load the API tree: ${errorMessage(error)}`);
    }
  }

  private node(path: string, item: { name: string; type: string }): HTMLElement {
    const label = h(
      'button',
      { type: 'button', class: `node node-${item.type}`, 'data-path': path },
      item.name,
    );
    const entry = h('li', {}, label);
    let children: HTMLElement | undefined;
    label.addEventListener('click', async () => {
      if (children) {
        children.hidden = !children.hidden;
        return;
      }
      try {
        const response = await this.api.explore(path);
        if (response.type === 'function') {
          this.showFunction(response);
          return;
        }
        children = h('ul', {});
        for (const child of response.items) children.append(this.node(`${path}/${child.name}`, child));
        entry.append(children);
      } catch (error) {
        notify(`Could not explore ${path}: ${errorMessage(error)}`);
      }
    });
    return entry;
  }

  private showFunction(response: Extract<ExploreResponse, { type: 'function' }>): void {
    this.showDetail(apiPathOf(response.path).slice(4), response.definition, response.description);
  }

  private showDetail(path: string, definition: string, description?: string): void {
    const insert = h('button', { type: 'button', id: 'insert-call' }, `Insert api.${path}(…)`);
    insert.addEventListener('click', () => this.insertCall(`await api.${path}({})`));
    byId('detail').replaceChildren(
      h('h3', {}, `api.${path}`),
      ...(description ? [h('p', {}, description)] : []),
      h('pre', { class: 'definition' }, definition),
      insert,
    );
  }

  async showDefinitions(): Promise<void> {
    try {
      this.showDeclarations((await this.api.definitions({ detail: 'full' })).typescript);
    } catch (error) {
      notify(`Could not load the definitions: ${errorMessage(error)}`);
    }
  }

  async showRuntime(): Promise<void> {
    try {
      this.showDeclarations(await this.api.runtime());
    } catch (error) {
      notify(`Could not load the runtime declarations: ${errorMessage(error)}`);
    }
  }

  private showDeclarations(typescript: string): void {
    byId('api-tree').hidden = true;
    const view = byId('declarations');
    view.textContent = typescript;
    view.hidden = false;
  }
}
