import { api, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { ago, NONE, span } from './format.js';

/** A task of a run as GET /api/dag/runs gives it. */
interface TaskRun {
  taskId: string;
  state: string;
  tryNumber: number;
  attempts: { tryNumber: number; state: string; startDate: number; endDate: number | null; error: string | null }[];
}

/** A DAG run as GET /api/dag/runs gives it. */
export interface DagRun {
  runId: string;
  dagId: string;
  runType: string;
  state: string;
  ds: string;
  queuedAt: number;
  startDate: number | null;
  endDate: number | null;
  error: string | null;
  tasks: TaskRun[];
}

interface DagSummary {
  dagId: string;
  description: string;
  schedule: string | null;
  paused: boolean;
  nextRunAt: number | null;
  tasks: { taskId: string; upstream: string[] }[];
}

const RUNS_SHOWN = 12;

/** How long something took, or has been running. */
const took = (start: number | null, end: number | null, now: number): string =>
  start === null ? NONE : `${span((end ?? now) - start)}${end === null ? '…' : ''}`;

/** A task's chip: its state as a colour, name, tries and duration. */
function taskChip(t: TaskRun, now: number): HTMLElement {
  const first = t.attempts[0];
  const last = t.attempts.at(-1);
  const time = first ? took(first.startDate, last?.endDate ?? null, now) : '';
  const chip = h(
    'span',
    {
      class: `chip ${t.state}`,
      title: `${t.taskId}: ${t.state}${t.tryNumber > 1 ? `, ${t.tryNumber} tries` : ''}${last?.error ? `\n${last.error}` : ''}`,
      data: { task: t.taskId, state: t.state },
    },
    h('span', { class: 'dot' }),
    t.taskId,
    time ? h('span', { class: 'chip-time' }, time) : null,
    t.tryNumber > 1 ? h('span', { class: 'chip-try' }, `×${t.tryNumber}`) : null,
  );
  return chip;
}

/** The batch DAG: its runs with task states and durations, and a button to trigger a run now. */
export class DagView {
  private readonly head = h('div', { class: 'dag-head' });
  private readonly body = h('div', { class: 'table-wrap tall' });
  private readonly button: HTMLButtonElement;
  private readonly message = h('span', { class: 'dag-message', attrs: { role: 'status' } });
  private dagId: string | undefined;
  private withKey: (<T>(fn: () => Promise<T>) => Promise<T>) | undefined;

  constructor(root: HTMLElement) {
    this.button = h(
      'button',
      { class: 'primary', attrs: { type: 'button', id: 'trigger', disabled: '' }, on: { click: () => void this.trigger() } },
      'Trigger run',
    );
    root.append(h('article', { class: 'card' }, h('header', {}, this.head, h('div', { class: 'actions' }, this.message, this.button)), this.body));
    replace(this.head, h('h3', {}, 'Runs'));
  }

  /** Fetch the runs and draw them. */
  async poll(withKey: <T>(fn: () => Promise<T>) => Promise<T>): Promise<void> {
    this.withKey = withKey;
    try {
      const r = await withKey(() => api<{ dags: DagSummary[]; runs: DagRun[] }>(`/api/dag/runs?limit=${RUNS_SHOWN}`));
      this.show(r.dags, r.runs);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        this.button.disabled = true;
        replace(this.body, h('p', { class: 'empty' }, 'No scheduler runs in this process: run the batch job with `pinpipe batch run`.'));
      }
    }
  }

  private show(dags: DagSummary[], runs: DagRun[]): void {
    const dag = dags[0];
    this.dagId = dag?.dagId;
    this.button.disabled = !dag;
    const now = Date.now();
    if (dag)
      replace(
        this.head,
        h('h3', {}, dag.dagId),
        h(
          'span',
          { class: 'meta' },
          `${dag.schedule ?? 'no schedule'}${dag.paused ? ' · paused' : ''} · ${dag.tasks.length} tasks · next run ${dag.nextRunAt ? (dag.nextRunAt > now ? `in ${span(dag.nextRunAt - now)}` : 'due') : NONE}`,
        ),
      );
    if (runs.length === 0) {
      replace(this.body, h('p', { class: 'empty' }, 'No runs yet.'));
      return;
    }
    replace(
      this.body,
      h(
        'table',
        { class: 'data runs' },
        h('thead', {}, h('tr', {}, ...['run', 'date', 'type', 'state', 'started', 'took', 'tasks'].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          ...runs.map((r) =>
            h(
              'tr',
              { data: { run: r.runId, state: r.state }, title: r.error ?? '' },
              h('td', { class: 'mono' }, r.runId),
              h('td', {}, r.ds),
              h('td', {}, r.runType),
              h('td', {}, h('span', { class: `pill ${r.state}` }, r.state)),
              h('td', {}, ago(r.startDate ?? undefined, now)),
              h('td', { class: 'num' }, took(r.startDate, r.endDate, now)),
              h('td', { class: 'tasks' }, ...r.tasks.map((t) => taskChip(t, now))),
            ),
          ),
        ),
      ),
    );
  }

  private async trigger(): Promise<void> {
    if (!this.dagId || !this.withKey) return;
    this.button.disabled = true;
    replace(this.message, 'triggering…');
    try {
      const r = await this.withKey(() => api<{ run: DagRun }>('/api/dag/runs', { method: 'POST', body: { dag_id: this.dagId } }));
      replace(this.message, `queued ${r.run.runId}`);
      await this.poll(this.withKey);
    } catch (err) {
      replace(this.message, `could not trigger: ${(err as Error).message}`);
    } finally {
      this.button.disabled = false;
    }
  }
}
