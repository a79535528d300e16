export { buildApp, listen, type AppDeps } from './app.js';
