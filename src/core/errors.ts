/**
 * The error table: every failure pinpipe reports has a code here, with its message, the HTTP
 * status it maps to when it reaches an API, the Kafka REST Proxy `error_code`, and whether a
 * retry can help. `docs/errors.md` lists the same table (a test keeps them in step).
 */
export interface ErrorSpec {
  /** Kafka REST Proxy style numeric code (what API clients see as `error_code`). */
  readonly restCode: number;
  /** HTTP status when the error ends a request. */
  readonly status: number;
  readonly retryable: boolean;
  readonly message: string;
}

export const ERRORS = {
  TOPIC_NOT_FOUND: { restCode: 40401, status: 404, retryable: false, message: 'Topic not found.' },
  PARTITION_NOT_FOUND: { restCode: 40402, status: 404, retryable: false, message: 'Partition not found.' },
  CONSUMER_NOT_FOUND: { restCode: 40403, status: 404, retryable: false, message: 'Consumer instance not found.' },
  NOT_FOUND: { restCode: 404, status: 404, retryable: false, message: 'HTTP 404 Not Found' },
  CONSUMER_EXISTS: {
    restCode: 40902,
    status: 409,
    retryable: false,
    message: 'Consumer with specified consumer ID already exists in the specified consumer group.',
  },
  TOPIC_EXISTS: { restCode: 40901, status: 409, retryable: false, message: 'Topic already exists.' },
  TOPIC_LIMIT_REACHED: {
    restCode: 40906,
    status: 409,
    retryable: false,
    message: 'The log holds the most topics allowed (log.maxTopics): delete streams that are no longer used, or raise the limit.',
  },
  TOPIC_NOT_DELETABLE: {
    restCode: 40905,
    status: 409,
    retryable: false,
    message: 'Only streams can be deleted: this topic belongs to the batch path (the lake sink copies it), and its acknowledged records must reach the lake.',
  },
  INVALID_URL: { restCode: 40001, status: 400, retryable: false, message: 'The request URL is not valid (e.g. a bad %-escape).' },
  INVALID_BODY: { restCode: 42201, status: 422, retryable: false, message: 'Request body is not valid.' },
  INVALID_RECORD: { restCode: 42202, status: 422, retryable: false, message: 'Record is not valid.' },
  RECORD_TOO_LARGE: { restCode: 42203, status: 422, retryable: false, message: 'Record is larger than the configured limit.' },
  TOO_MANY_RECORDS: { restCode: 42204, status: 422, retryable: false, message: 'Too many records in one request.' },
  INVALID_NAME: { restCode: 42205, status: 422, retryable: false, message: 'Invalid name: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".' },
  INVALID_POSITION: { restCode: 42206, status: 422, retryable: false, message: 'Invalid position.' },
  CONSUMER_STATE: { restCode: 40903, status: 409, retryable: false, message: 'Illegal state: the consumer is not subscribed to any topics.' },
  UNSUPPORTED_MEDIA_TYPE: { restCode: 415, status: 415, retryable: false, message: 'HTTP 415 Unsupported Media Type' },
  BODY_TOO_LARGE: { restCode: 413, status: 413, retryable: false, message: 'Request body is larger than the configured limit.' },
  UNAUTHORIZED: { restCode: 40101, status: 401, retryable: false, message: 'Authentication required: send Authorization: Bearer <key> or X-API-Key.' },
  FORBIDDEN: { restCode: 40301, status: 403, retryable: false, message: 'The API key is not valid.' },
  SIGNATURE_INVALID: {
    restCode: 40302,
    status: 403,
    retryable: false,
    message: 'The AWS SigV4 signature does not verify with any API key (the secret access key must be an API key).',
  },
  STORE_UNAVAILABLE: { restCode: 50003, status: 500, retryable: true, message: 'Retriable store error: the log could not make the records durable.' },
  LOG_UNAVAILABLE: {
    restCode: 50302,
    status: 503,
    retryable: true,
    message: 'The log (Kafka or Kinesis) cannot be reached right now; retry later.',
  },
  INTERNAL: { restCode: 50001, status: 500, retryable: false, message: 'Internal error.' },
  CONFIG_INVALID: { restCode: 50002, status: 500, retryable: false, message: 'Invalid configuration.' },
  OBJECT_EXISTS: { restCode: 40904, status: 409, retryable: false, message: 'Object already exists.' },
  OBJECT_NOT_FOUND: { restCode: 40404, status: 404, retryable: false, message: 'Object not found.' },
  CLOSED: { restCode: 50301, status: 503, retryable: true, message: 'The component is shutting down.' },
  DELTA_TABLE_NOT_FOUND: { restCode: 40410, status: 404, retryable: false, message: 'No Delta table at this location (no _delta_log commits).' },
  DELTA_TABLE_EXISTS: { restCode: 40910, status: 409, retryable: false, message: 'A Delta table already exists at this location.' },
  DELTA_VERSION_NOT_FOUND: { restCode: 40411, status: 404, retryable: false, message: 'The requested Delta table version does not exist.' },
  DELTA_LOG_GAP: { restCode: 50010, status: 500, retryable: false, message: 'The Delta log is not contiguous: a commit version is missing.' },
  DELTA_LOG_INVALID: {
    restCode: 50011,
    status: 500,
    retryable: false,
    message: 'The Delta log is invalid (missing protocol or metaData, or an unreadable action).',
  },
  DELTA_PROTOCOL_UNSUPPORTED: {
    restCode: 50012,
    status: 500,
    retryable: false,
    message:
      'The Delta table uses a protocol version or table feature (deletion vectors, column mapping, v2 checkpoints, …) this implementation does not support; the error names it.',
  },
  DELTA_SCHEMA_MISMATCH: { restCode: 42210, status: 422, retryable: false, message: 'The data does not match the Delta table schema.' },
  DELTA_CONFLICT: { restCode: 40911, status: 409, retryable: true, message: 'A concurrent Delta commit conflicts with this one; re-run the operation.' },
  DELTA_COMMIT_RETRIES: { restCode: 50310, status: 503, retryable: true, message: 'The Delta commit lost the race too many times; try again.' },
  KINESIS_VALIDATION: { restCode: 40010, status: 400, retryable: false, message: 'A Kinesis request parameter does not satisfy its constraint.' },
  KINESIS_INVALID_ARGUMENT: { restCode: 40011, status: 400, retryable: false, message: 'A Kinesis request parameter is not valid.' },
  KINESIS_ITERATOR_EXPIRED: { restCode: 40012, status: 400, retryable: false, message: 'The shard iterator has expired; get a new one with GetShardIterator.' },
  KINESIS_LIMIT_EXCEEDED: { restCode: 40013, status: 400, retryable: false, message: 'A Kinesis limit was exceeded.' },
  KINESIS_UNKNOWN_OPERATION: { restCode: 40014, status: 400, retryable: false, message: 'Unknown or unsupported Kinesis operation.' },
  KINESIS_RESHARDING_UNSUPPORTED: {
    restCode: 40015,
    status: 400,
    retryable: false,
    message: 'Resharding (SplitShard, MergeShards, UpdateShardCount) is not supported: a stream keeps the shard count it was created with.',
  },
  KINESIS_RESHARDED: {
    restCode: 40921,
    status: 409,
    retryable: false,
    message: 'The Kinesis stream was resharded; pinpipe reads streams whose shards never change.',
  },
  LOG_UNSUPPORTED: {
    restCode: 50013,
    status: 501,
    retryable: false,
    message: 'This log does not offer the operation (e.g. consumer-group positions on Kinesis).',
  },
  STREAM_CHECKPOINT_MISSING: {
    restCode: 50020,
    status: 500,
    retryable: false,
    message: "A stream table records the job's micro-batch (txn) but not the commit holding its stream positions.",
  },
  STREAM_WRITER_CONFLICT: {
    restCode: 40920,
    status: 409,
    retryable: true,
    message: 'Another writer with the same stream job id committed this micro-batch first; the job reloads its positions from the table.',
  },
  BATCH_INVALID_DATE: { restCode: 42230, status: 422, retryable: false, message: 'Invalid batch run date: expected YYYY-MM-DD, a real calendar date.' },
  BATCH_STATE_MISSING: {
    restCode: 50030,
    status: 500,
    retryable: false,
    message: "A batch table records the job's txn but no readable commit records what it consumed; rebuild with --full.",
  },
  BATCH_OBJECT_UNREADABLE: {
    restCode: 50031,
    status: 500,
    retryable: false,
    message: 'A raw lake object cannot be read as UTF-8 text; move it out of topics/ and run again.',
  },
  SINK_LAKE_AHEAD: {
    restCode: 50050,
    status: 500,
    retryable: false,
    message:
      'The lake holds offsets of a partition the log has not reached (the log was replaced or reset): the sink stops copying that partition rather than skip or overwrite records.',
  },
  RESULT_NOT_FOUND: { restCode: 40430, status: 404, retryable: false, message: 'No analytics result set has this id.' },
  RESULT_NOT_COMPUTED: {
    restCode: 40431,
    status: 404,
    retryable: false,
    message: 'The analytics result set has not been computed yet: run `pinpipe batch run`.',
  },
  DAG_NOT_FOUND: { restCode: 40440, status: 404, retryable: false, message: 'No DAG has this id.' },
  DAG_RUN_NOT_FOUND: { restCode: 40441, status: 404, retryable: false, message: 'No DAG run has this id.' },
  DAG_RUN_EXISTS: { restCode: 40940, status: 409, retryable: false, message: 'A run of this DAG already exists for this logical date.' },
  DAG_INVALID: { restCode: 42240, status: 422, retryable: false, message: 'Invalid DAG: a bad schedule, an unknown or cyclic dependency, or a bad option.' },
  DAG_INVALID_DATE: { restCode: 42241, status: 422, retryable: false, message: 'Invalid logical date: expected YYYY-MM-DD or an ISO 8601 date-time.' },
  TASK_TIMEOUT: { restCode: 50440, status: 504, retryable: true, message: 'The task attempt ran longer than its execution timeout and was stopped.' },
  TASK_FAILED: { restCode: 50040, status: 500, retryable: true, message: 'The task attempt failed.' },
  TASK_INTERRUPTED: {
    restCode: 50340,
    status: 503,
    retryable: true,
    message: 'The scheduler stopped (crash or kill) while the task attempt ran; the attempt is marked failed.',
  },
  USAGE: { restCode: 40070, status: 400, retryable: false, message: 'The command line is not valid: see `pinpipe <command> --help`.' },
  DATA_DIR_MISSING: {
    restCode: 40470,
    status: 404,
    retryable: false,
    message: 'No pinpipe data dir at this path: pass the --data-dir that `pinpipe up` used, or start one with `pinpipe up`.',
  },
  DATA_DIR_LOCKED: {
    restCode: 40970,
    status: 409,
    retryable: false,
    message: 'Another pinpipe process runs on this data dir: stop it, or use another --data-dir.',
  },
  ADDRESS_IN_USE: {
    restCode: 50070,
    status: 500,
    retryable: false,
    message: 'The address is in use: stop the process listening there, or choose another --port.',
  },
  DIR_NOT_WRITABLE: {
    restCode: 50071,
    status: 500,
    retryable: false,
    message: 'A directory pinpipe needs to write is not writable: fix its permissions, or choose another --data-dir.',
  },
  NOT_REACHABLE: { restCode: 50370, status: 503, retryable: true, message: 'Nothing answers at this URL: start `pinpipe up`, or pass the right --url.' },
  DASHBOARD_NOT_BUILT: {
    restCode: 50380,
    status: 503,
    retryable: false,
    message: "The dashboard's page is not built: run `npm run build` in the pinpipe folder.",
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorKind = keyof typeof ERRORS;

/** A coded pinpipe error; `kind` picks the row of ERRORS. */
export class PinpipeError extends Error {
  readonly kind: ErrorKind;
  readonly spec: ErrorSpec;
  constructor(kind: ErrorKind, detail?: string, options?: { cause?: unknown }) {
    const spec = ERRORS[kind];
    super(detail ?? spec.message, options);
    this.name = 'PinpipeError';
    this.kind = kind;
    this.spec = spec;
  }
  get retryable(): boolean {
    return this.spec.retryable;
  }
}

/** True when `err` is a PinpipeError of the given kind. */
export function isError(err: unknown, kind: ErrorKind): err is PinpipeError {
  return err instanceof PinpipeError && err.kind === kind;
}
