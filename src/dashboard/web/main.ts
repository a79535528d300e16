// The pinpipe dashboard: polls the status API and draws the pipeline's health, the batch DAG's runs
// and the ten result sets. Every value from the server reaches the page as text (see dom.ts).
import './styles.css';
import type { PipelineStatus } from '../pipeline-status.js';
import { api, ApiError, apiKey, setApiKey } from './api.js';
import { DagView } from './dag-view.js';
import { byId, h, replace } from './dom.js';
import { span } from './format.js';
import { HealthView } from './health-view.js';
import { askForKey } from './key-dialog.js';
import { ResultsView, type ResultInfo } from './results-view.js';

const STATUS_EVERY_MS = 2000;
const RESULTS_EVERY_MS = 5000;

function layout(): { health: HTMLElement; dag: HTMLElement; results: HTMLElement; state: HTMLElement; updated: HTMLElement; title: HTMLElement } {
  const state = h('span', { class: 'pill', attrs: { id: 'health' } }, 'connecting…');
  const updated = h('span', { class: 'updated' });
  const title = h('span', { class: 'subtitle' });
  const health = h('section', { attrs: { id: 'pipeline', 'aria-label': 'Pipeline health' } });
  const dag = h('section', { attrs: { id: 'dag', 'aria-label': 'Batch DAG runs' } });
  const results = h('div', { class: 'grid results' });
  replace(
    byId('app'),
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, h('img', { attrs: { src: 'favicon.svg', alt: '', width: '28', height: '28' } }), h('h1', {}, 'pinpipe'), title),
      h(
        'div',
        { class: 'status' },
        state,
        updated,
        h('button', { class: 'ghost', attrs: { type: 'button', id: 'forget-key' }, on: { click: () => (setApiKey(null), location.reload()) } }, 'Forget key'),
      ),
    ),
    h(
      'main',
      {},
      h('h2', {}, 'Pipeline'),
      health,
      h('h2', {}, 'Batch DAG'),
      dag,
      h('h2', {}, 'Results'),
      h('p', { class: 'section-note' }, 'The ten result sets of the batch job, as charts and tables. They refresh after each run.'),
      h('section', { attrs: { id: 'results', 'aria-label': 'Result sets' } }, results),
    ),
    h('footer', {}, 'pinpipe · ', h('a', { attrs: { href: '/api/status' } }, 'GET /api/status'), ' · ', h('a', { attrs: { href: '/metrics' } }, 'metrics')),
  );
  return { health, dag, results, state, updated, title };
}

async function main(): Promise<void> {
  const ui = layout();
  const healthView = new HealthView(ui.health);
  const dagView = new DagView(ui.dag);
  const resultsView = new ResultsView(ui.results);
  let lastOk = 0;
  byId('forget-key').hidden = !apiKey();

  /** Run `fn`; when the server wants a key, ask for one and try again. */
  const withKey = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      const sentWith = apiKey();
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof ApiError) || !err.needsKey) throw err;
        if (apiKey() !== sentWith) continue; // a key was entered meanwhile: try that one first
        await askForKey(err.status === 403 ? 'That key is not valid. Try another one.' : 'This pinpipe requires an API key for its API.');
        byId('forget-key').hidden = false;
      }
    }
  };

  const pollStatus = async (): Promise<void> => {
    try {
      const s = await withKey(() => api<PipelineStatus>('/api/status'));
      lastOk = Date.now();
      healthView.show(s);
      replace(ui.title, `${s.pinpipe.prefix} · v${s.pinpipe.version} · up ${span(s.at - s.pinpipe.startedAt)}`);
      ui.state.className = `pill ${s.health.status}`;
      replace(ui.state, s.health.status === 'ok' ? 'healthy' : 'degraded');
      ui.state.title = s.health.problems.join('\n');
      document.title = s.health.status === 'ok' ? 'pinpipe' : 'pinpipe (degraded)';
    } catch (err) {
      ui.state.className = 'pill down';
      replace(ui.state, 'unreachable');
      ui.state.title = (err as Error).message;
    }
  };
  const pollResults = async (): Promise<void> => {
    try {
      const list = await withKey(() => api<{ results: ResultInfo[] }>('/api/results'));
      await resultsView.load(list.results);
    } catch {
      // shown by the status pill
    }
  };

  setInterval(() => replace(ui.updated, lastOk ? `updated ${span(Date.now() - lastOk)} ago` : ''), 1000);
  const loop = (fn: () => Promise<void>, everyMs: number): void => {
    const run = (): void => void fn().finally(() => setTimeout(run, everyMs));
    run();
  };
  loop(pollStatus, STATUS_EVERY_MS);
  loop(pollResults, RESULTS_EVERY_MS);
  loop(() => dagView.poll(withKey), 3000);
}

void main();
