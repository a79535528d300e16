export { registerStatusRoutes } from './api-routes.js';
export { dashboardPlugin, type DashboardOptions } from './dashboard-plugin.js';
export { readDagRuns, registerDagRoutes, type DagRuns, type DagSource } from './dag-routes.js';
export { LakeReader, type RejectCount } from './lake-reader.js';
export { readLogStatus, type LogTopicStatus } from './log-status.js';
export { DASHBOARD_OPEN_PATHS, dashboardDir, registerPageRoutes } from './page-routes.js';
export { collectStatus, PINPIPE_VERSION, type PipelineStatus, type StatusSources } from './pipeline-status.js';
