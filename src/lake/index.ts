export type { ObjectInfo, ObjectStore, PutOptions } from './object-store.js';
export { LocalObjectStore } from './local/local-store.js';
