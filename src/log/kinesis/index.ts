export { KinesisLog, openKinesisLog, type KinesisLogOptions } from './kinesis-log.js';
