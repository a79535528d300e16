import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { PinpipeError } from './errors.js';
import { isValidName } from './names.js';

const name = z.string().refine(isValidName, 'must be 1-249 characters of [a-zA-Z0-9._-], not "." or ".."');
/** Longest prefix: `streaming-<prefix>-user` must be a Kinesis stream name (at most 128 characters). */
export const MAX_PREFIX_LENGTH = 128 - 'streaming-'.length - '-user'.length;
const prefixName = name.refine(
  (p) => p.length <= MAX_PREFIX_LENGTH,
  `must be at most ${MAX_PREFIX_LENGTH} characters (streaming-<prefix>-user is a stream name, at most 128)`,
);
const port = z.number().int().min(0).max(65535);
const compiles = (source: string): boolean => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};
const defaultParseThreads = (): number => Math.min(4, Math.max(2, availableParallelism() - 1));

/** A log URL of one of the given schemes (parsed in full by `parseLogUrl` when the log opens). */
const logUrl = (schemes: string[]) =>
  z
    .string()
    .refine((u) => schemes.some((s) => u.startsWith(`${s}:`)), `must start with ${schemes.map((s) => (s === 'sqlite' ? 'sqlite:' : `${s}://`)).join(' or ')}`);

/** How pinpipe talks to Kafka (MSK included). */
const kafkaSettings = z
  .strictObject({
    clientId: z.string().min(1).default('pinpipe'),
    /** Replicas of the topics pinpipe creates (3 on a production cluster). */
    replicationFactor: z.number().int().min(1).max(16).default(1),
    /** Compression of produced batches (zstd needs Node 22). */
    compression: z.enum(['none', 'gzip', 'snappy', 'lz4']).default('lz4'),
    requestTimeoutMs: z.number().int().min(100).default(30_000),
    /** Most bytes one produce request carries (Kafka's default `max.request.size` is 1 MiB). */
    maxSendBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /** TLS to the brokers (MSK: on for its 9094/9096/9098 listeners). */
    tls: z.boolean().default(false),
    /** SASL: PLAIN or SCRAM with a username and password, or OAUTHBEARER with a token. */
    sasl: z
      .strictObject({
        mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER']),
        username: z.string().optional(),
        password: z.string().optional(),
        token: z.string().optional(),
      })
      .optional(),
  })
  .prefault({});

/** The one configuration schema: validation, defaults and the TypeScript type at once. */
export const configSchema = z
  .object({
    /** Root of all state: the log under `<dataDir>/log`, the lake under `<dataDir>/lake`. */
    dataDir: z.string().min(1).default('./pinpipe-data'),
    /** Deployment prefix: topics `<prefix>.pin|geo|user`, streams `streaming-<prefix>-*`. */
    prefix: prefixName.default('pinterest'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** How often `pinpipe up` logs its one-line summary (records in, lake objects, micro-batches, batch runs); 0 = never. */
    logSummaryIntervalMs: z.number().int().min(0).default(30_000),
    api: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: port.default(8082),
        /** API keys accepted as `Authorization: Bearer <key>` or `X-API-Key`; empty = no auth. */
        apiKeys: z.array(z.string().min(8)).default([]),
        maxBodyBytes: z
          .number()
          .int()
          .positive()
          .default(16 * 1024 * 1024),
        maxRecordsPerRequest: z.number().int().positive().default(10_000),
        maxRecordBytes: z
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
        autoCreateTopics: z.boolean().default(true),
        /** Levels a record's key or value (or a gateway record's Data) may nest; deeper is refused at parse time (JSON writers and readers recurse). */
        maxJsonDepth: z.number().int().min(1).max(1000).default(100),
        /** Threads that parse large produce bodies off the event loop (0: parse on it); default: one per core beyond the first, at least 2 (measured best on 2 cores), at most 4. */
        parseThreads: z.number().int().min(0).max(64).default(defaultParseThreads()),
        /** Produce bodies smaller than this are parsed on the event loop (the hop to a parse thread costs more than it saves). */
        parseInlineBelowBytes: z
          .number()
          .int()
          .min(0)
          .default(16 * 1024),
        /** Consumer instances idle longer than this are dropped (REST Proxy's consumer.instance.timeout.ms). */
        consumerInstanceTimeoutMs: z.number().int().positive().default(300_000),
      })
      .prefault({}),
    log: z
      .strictObject({
        /** Where topics live: `sqlite:<dir>` (embedded; default `sqlite:<dataDir>/log`) or `kafka://host:port[,host:port…]`. */
        url: logUrl(['sqlite', 'kafka']).optional(),
        /** Kafka client settings (used when a URL is `kafka://…`). */
        kafka: kafkaSettings,
        /** Partitions of an auto-created topic. */
        defaultPartitions: z.number().int().min(1).max(1024).default(1),
        /** `full`: fsync every group commit (durable across power loss); `normal`: only across process crashes; `off`: tests only. */
        fsync: z.enum(['full', 'normal', 'off']).default('full'),
        /** The most topics (and streams) the log holds; creating one more fails with TOPIC_LIMIT_REACHED (each topic costs memory and sink work). */
        maxTopics: z.number().int().min(1).max(1_000_000).default(1000),
        /** How long a group commit may wait for more appends to share its fsync. */
        groupCommitDelayMs: z.number().min(0).max(100).default(0),
      })
      .prefault({}),
    streams: z
      .strictObject({
        /** The speed layer's log (the streams): the same forms as `log.url`, or `kinesis://<region>`; default: the topics' log. */
        url: logUrl(['sqlite', 'kafka', 'kinesis']).optional(),
        /** Kinesis: records asked for per GetRecords call (at most 10,000). */
        kinesisMaxRecordsPerRead: z.number().int().min(1).max(10_000).default(10_000),
      })
      .prefault({}),
    sink: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Topics the sink copies into the lake, as a regular expression; default `<prefix>\..*`. */
        topicsRegex: z.string().refine(compiles, 'must be a valid regular expression').optional(),
        /** Records per lake object (the original project used 1). */
        flushSize: z.number().int().positive().default(1000),
        /** Close an object once its records span this long (record timestamps); 0 = size only. */
        rotateIntervalMs: z.number().int().min(0).default(60_000),
        /** How often the sink looks for new topics. */
        topicScanIntervalMs: z.number().int().positive().default(1000),
      })
      .prefault({}),
    batch: z
      .strictObject({
        /** DuckDB worker threads for the batch job (0 = one per CPU core). */
        threads: z.number().int().min(0).max(256).default(0),
        /** DuckDB memory limit for the batch job; beyond it DuckDB spills to `<dataDir>/tmp/batch`. */
        memoryLimitMb: z.number().int().min(64).default(1536),
      })
      .prefault({}),
    scheduler: z
      .strictObject({
        /** When the built-in DAG `<prefix>_dag` runs: a cron expression or a preset (`@daily`, `@hourly`, …). */
        schedule: z.string().default('@daily'),
        /** IANA time zone the schedule is read in. */
        timezone: z.string().default('UTC'),
        /** Run every missed interval since `startDate` (false: only the latest one). */
        catchup: z.boolean().default(false),
        /** Earliest logical date for catchup, ISO 8601 (e.g. `2024-05-01T00:00:00Z`). */
        startDate: z.iso.datetime({ offset: true }).optional(),
        /** Retries of a failed task, `retryDelayMs` apart (doubled per retry when `retryExponentialBackoff`, at most `maxRetryDelayMs`). */
        retries: z.number().int().min(0).max(100).default(2),
        retryDelayMs: z.number().int().min(0).default(120_000),
        retryExponentialBackoff: z.boolean().default(true),
        maxRetryDelayMs: z.number().int().min(0).default(1_800_000),
        /** A task attempt running longer is stopped and counts as failed. */
        taskTimeoutMs: z.number().int().positive().default(3_600_000),
        /** The schedule `pinpipe up --emulate` uses instead, so a demo shows results within a minute (six fields: seconds first). */
        demoSchedule: z.string().default('*/15 * * * * *'),
        /** Close lake objects this often in `pinpipe up --emulate` (instead of sink.rotateIntervalMs). */
        demoSinkRotateIntervalMs: z.number().int().positive().default(5_000),
      })
      .prefault({}),
    stream: z
      .strictObject({
        /** Run the stream job (streams → `<prefix>_*_table` Delta tables) inside `pinpipe up`. */
        enabled: z.boolean().default(true),
        /** The job's id: its Delta `txn` appIds are `<jobId>-pin|geo|user` (and `-rejects`). Two jobs with one id share progress. */
        jobId: name.default('pinpipe-stream'),
        /** Shards of a stream the job creates because it is missing. */
        shards: z.number().int().min(1).max(1024).default(1),
        /** Start a micro-batch at most this often per stream (one starts as soon as data is there once this has passed). */
        minIntervalMs: z.number().int().min(0).max(60_000).default(200),
        /** Records per micro-batch at most (also what is read ahead per shard). */
        maxBatchRecords: z.number().int().min(1).max(1_000_000).default(20_000),
        /** A micro-batch that changes no table (only keys already there) commits its positions only when the last commit is older than this; 0 = always. */
        positionCommitIntervalMs: z.number().int().min(0).default(5_000),
        /** Compact a table's small files after this many commits to it (0 = never). */
        compactEveryCommits: z.number().int().min(0).default(50),
        /** Compaction writes files of about this size and leaves bigger ones alone. */
        compactTargetFileBytes: z
          .number()
          .int()
          .min(1024)
          .default(32 * 1024 * 1024),
        /** Vacuum the tables and clean their logs this often (0 = never). */
        vacuumIntervalMs: z.number().int().min(0).default(600_000),
        /** How long old versions stay readable: vacuum deletes unreferenced files, and log cleanup commits, older than this; also the tables' tombstone retention. At least a minute: in-flight writes must never look old. */
        historyRetentionMs: z.number().int().min(60_000).default(3_600_000),
        /** DuckDB threads per stream (three streams run side by side). */
        duckdbThreads: z.number().int().min(1).max(64).default(1),
        /** First pause after a failed micro-batch (doubled per failure in a row, up to 30 s). */
        retryDelayMs: z.number().int().min(1).default(1000),
      })
      .prefault({}),
    emulator: z
      .strictObject({
        rows: z.number().int().positive().default(11_000),
        seed: z.number().int().default(42),
      })
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Parse and freeze a config, throwing CONFIG_INVALID with every problem listed. */
export function parseConfig(input: unknown): Config {
  const r = configSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PinpipeError('CONFIG_INVALID', `Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return deepFreeze(r.data);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const camel = (s: string): string => s.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function envValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * `PINPIPE_<KEY>` and `PINPIPE_<SECTION>_<KEY>` environment overrides, e.g. `PINPIPE_DATA_DIR`,
 * `PINPIPE_API_PORT=9000`, `PINPIPE_SINK_FLUSH_SIZE=1`. Values are JSON when they parse as JSON.
 */
export function envOverrides(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const out: Record<string, Record<string, unknown> | unknown> = {};
  const shape = configSchema.shape as Record<string, unknown>;
  const sections = new Set(
    Object.keys(configSchema.shape).filter((k) => typeof configSchema.shape[k as keyof typeof configSchema.shape].def.defaultValue === 'object'),
  );
  for (const [k, raw] of Object.entries(env)) {
    if (!k.startsWith('PINPIPE_') || raw === undefined) continue;
    const rest = k.slice('PINPIPE_'.length);
    const top = camel(rest);
    if (top in shape && !sections.has(top)) {
      out[top] = top === 'prefix' || top === 'dataDir' ? raw : envValue(raw);
      continue;
    }
    const [section, ...key] = rest.split('_');
    const sec = section.toLowerCase();
    if (!sections.has(sec) || key.length === 0) continue;
    const slot = (out[sec] ??= {}) as Record<string, unknown>;
    slot[camel(key.join('_'))] = envValue(raw);
  }
  return out;
}

export interface LoadOptions {
  /** Path of a JSON config file; default `pinpipe.config.json` in the working directory if present. */
  configPath?: string;
  /** Highest-priority overrides (command-line options). */
  overrides?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

/** Defaults ← config file ← PINPIPE_* env ← command-line overrides, validated once. */
export function loadConfig(opts: LoadOptions = {}): Config {
  let file: Record<string, unknown> = {};
  const path = opts.configPath ?? (existsSync('pinpipe.config.json') ? 'pinpipe.config.json' : undefined);
  if (path) {
    try {
      file = JSON.parse(readFileSync(resolve(path), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new PinpipeError('CONFIG_INVALID', `Cannot read config file ${path}: ${(err as Error).message}`);
    }
  }
  return parseConfig(merge(merge(file, envOverrides(opts.env)), opts.overrides ?? {}));
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const av = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && av && typeof av === 'object' && !Array.isArray(av)
        ? merge(av as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** The topics of a deployment's batch path. */
export function batchTopics(prefix: string): { pin: string; geo: string; user: string } {
  return { pin: `${prefix}.pin`, geo: `${prefix}.geo`, user: `${prefix}.user` };
}

/** The streams of a deployment's speed path. */
export function streamNames(prefix: string): { pin: string; geo: string; user: string } {
  return { pin: `streaming-${prefix}-pin`, geo: `streaming-${prefix}-geo`, user: `streaming-${prefix}-user` };
}

/** The regular expression source of topics the sink copies. */
export function sinkTopicsRegex(cfg: Config): string {
  return cfg.sink.topicsRegex ?? `${cfg.prefix.replace(/[.]/g, '\\.')}\\..*`;
}
