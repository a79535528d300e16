export { COUNTRIES } from './countries.js';
export { createDataset, createRowFactory, DEFAULT_ROWS, DEFAULT_SEED, generateRow, generateRows, type Dataset, type DatasetOptions } from './dataset.js';
export { runEmulator, type EmulatorOptions, type EmulatorResult } from './emulate.js';
export { generateFiles, type GenerateFilesOptions, type GenerateFilesResult } from './generate.js';
export { MARKERS } from './markers.js';
export {
  CATEGORIES,
  MEDIA_TYPES,
  RECORD_KINDS,
  type Category,
  type GeoRecord,
  type MediaType,
  type PinRecord,
  type RecordKind,
  type Row,
  type UserRecord,
} from './records.js';
export { type EmulatorMode } from './requests.js';
export { AGE_GROUPS, JOIN_YEARS } from './user.js';
