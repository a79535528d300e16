export { ANALYTICS, type Analytic, type AnalyticsColumn, type AnalyticsRelations } from './registry.js';
export { AGE_GROUPS, type AgeGroup } from './fragments.js';
export { runAnalytics } from './run.js';
