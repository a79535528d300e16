import type { FastifyInstance } from 'fastify';
import { batchJobName } from '../jobs/batch/index.js';
import { registerStatusRoutes } from './api-routes.js';
import { registerDagRoutes } from './dag-routes.js';
import { LakeReader } from './lake-reader.js';
import { dashboardDir, registerPageRoutes } from './page-routes.js';
import type { StatusSources } from './pipeline-status.js';

/** What the dashboard and the status API need: the shared log and lake, and the components this process runs. */
export type DashboardOptions = Omit<StatusSources, 'lake' | 'startedAt'> & {
  startedAt?: number;
  /** The built page (default: the package's own build, see dashboardDir). */
  pageDir?: string;
};

/**
 * The status API (`/api/status`, `/api/results`, `/api/dag/runs`) and the dashboard page (`/`), as a plugin for buildApp.
 * @example buildApp({ config, log, logger, plugins: [dashboardPlugin({ config, log, store, sink: () => sink })] })
 */
export function dashboardPlugin(o: DashboardOptions): (app: FastifyInstance) => void {
  return (app) => {
    const lake = new LakeReader(o.store, batchJobName(o.config.prefix));
    app.addHook('onClose', async () => lake.close());
    registerStatusRoutes(app, { ...o, lake, startedAt: o.startedAt ?? Date.now() });
    registerDagRoutes(app, () => o.scheduler?.(), batchJobName(o.config.prefix));
    registerPageRoutes(app, o.pageDir ?? dashboardDir());
  };
}
