import type { FastifyInstance } from 'fastify';
import { PinpipeError } from '../core/errors.js';
import { parseLogicalDate, type DagInfo, type RunInfo } from '../scheduler/index.js';

/** What the DAG routes need of a scheduler: its DAGs, their recorded runs, and manual triggers. */
export interface DagSource {
  listDags(): DagInfo[];
  readonly store: { listRuns(dagId: string, opts?: { limit?: number }): RunInfo[] };
  trigger(dagId: string, at?: number): RunInfo;
}

/** The DAGs with their runs, newest first (the runs of `dagId` only, when given). */
export interface DagRuns {
  dags: DagInfo[];
  runs: RunInfo[];
}

const DEFAULT_LIMIT = 25;

/** The DAGs and their latest runs, newest first. */
export function readDagRuns(s: DagSource, opts: { dagId?: string; limit?: number } = {}): DagRuns {
  const dags = s.listDags().filter((d) => opts.dagId === undefined || d.dagId === opts.dagId);
  if (opts.dagId !== undefined && dags.length === 0)
    throw new PinpipeError(
      'DAG_NOT_FOUND',
      `No DAG ${opts.dagId} (known: ${s
        .listDags()
        .map((d) => d.dagId)
        .join(', ')}).`,
    );
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const runs = dags
    .flatMap((d) => s.store.listRuns(d.dagId, { limit }))
    .sort((a, b) => b.queuedAt - a.queuedAt || (a.runId < b.runId ? 1 : -1))
    .slice(0, limit);
  return { dags, runs };
}

function limitOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new PinpipeError('INVALID_BODY', 'limit must be a whole number from 1 to 1000.');
  return n;
}

/**
 * `GET /api/dag/runs[?dag_id=…&limit=…]` (the DAGs and their runs) and `POST /api/dag/runs` with
 * `{"dag_id"?: …, "logical_date"?: "YYYY-MM-DD" | ISO date-time}` (a manual run, as Airflow's REST
 * API names the fields; default: the deployment's DAG, now). NOT_FOUND when this process runs no
 * scheduler.
 */
export function registerDagRoutes(app: FastifyInstance, scheduler: () => DagSource | undefined, defaultDag: string): void {
  const source = (): DagSource => {
    const s = scheduler();
    if (!s) throw new PinpipeError('NOT_FOUND', 'No scheduler runs in this process (started with --no-batch?): DAG runs are not available here.');
    return s;
  };
  app.get<{ Querystring: { dag_id?: string; limit?: string } }>('/api/dag/runs', async (req) =>
    readDagRuns(source(), { dagId: req.query.dag_id, limit: limitOf(req.query.limit) }),
  );
  app.post<{ Body: { dag_id?: unknown; logical_date?: unknown } | undefined }>('/api/dag/runs', async (req, reply) => {
    const s = source();
    const body = req.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) throw new PinpipeError('INVALID_BODY', 'The body must be a JSON object.');
    const { dag_id: dagId = defaultDag, logical_date: date } = body;
    if (typeof dagId !== 'string') throw new PinpipeError('INVALID_BODY', 'dag_id must be a string.');
    if (date !== undefined && typeof date !== 'string')
      throw new PinpipeError('INVALID_BODY', 'logical_date must be a string (YYYY-MM-DD or an ISO date-time).');
    const run = s.trigger(dagId, date === undefined ? undefined : parseLogicalDate(date));
    return reply.status(200).send({ run });
  });
}
