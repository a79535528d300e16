import type { FastifyInstance } from 'fastify';
import { batchJobName } from '../jobs/batch/index.js';
import { collectStatus, type StatusSources } from './pipeline-status.js';

/**
 * The JSON status API the dashboard and `pinpipe status` read (behind the API's auth, errors in
 * its `{error_code, message}` shape): `GET /api/status`, `GET /api/results`, `GET /api/results/<id>`.
 */
export function registerStatusRoutes(app: FastifyInstance, sources: StatusSources): void {
  const { lake } = sources;
  app.get('/api/status', async () => collectStatus(sources));
  app.get('/api/results', async () => ({ job: batchJobName(sources.config.prefix), results: await lake.results() }));
  app.get<{ Params: { name: string } }>('/api/results/:name', async (req) => {
    const r = await lake.result(req.params.name);
    const info = (await lake.results()).find((x) => x.id === r.id);
    return {
      id: r.id,
      description: info?.description,
      computedAt: info?.computedAt,
      date: info?.date,
      version: r.version,
      columns: r.columns,
      rows: r.rows,
    };
  });
}
