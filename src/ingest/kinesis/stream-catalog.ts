import { PinpipeError, isError } from '../../core/errors.js';
import { isValidTopicName } from '../../core/names.js';
import type { Log, TopicInfo } from '../../log/log.js';
import { type Input, optString } from './input.js';
import { ACCOUNT_ID } from './shard-ids.js';

/** Kinesis' stream-name rule; pinpipe also refuses `.` and `..` (they are not valid topic names). */
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
/** The most shards a stream may have (the sqlite log's partition limit is higher). */
export const MAX_SHARDS = 1024;

/** True for a name that is both a Kinesis stream name and a log topic name. */
export function isStreamName(name: string): boolean {
  return STREAM_NAME.test(name) && isValidTopicName(name);
}

/** Throws KINESIS_VALIDATION unless `name` is a legal stream name; returns it. */
export function assertStreamName(name: unknown): string {
  if (typeof name !== 'string' || !isStreamName(name)) {
    throw new PinpipeError(
      'KINESIS_VALIDATION',
      `1 validation error detected: Value ${JSON.stringify(name)?.slice(0, 140) ?? 'null'} at 'streamName' failed to satisfy constraint: Member must have length 1-128 and match [a-zA-Z0-9_.-]+ (and not be "." or "..")`,
    );
  }
  return name;
}

/** The ARN of a stream (pinpipe has no accounts: the account id is all zeros). */
export function streamArn(name: string, region: string): string {
  return `arn:aws:kinesis:${region}:${ACCOUNT_ID}:stream/${name}`;
}

const notFound = (name: string): PinpipeError => new PinpipeError('TOPIC_NOT_FOUND', `Stream ${name} under account ${ACCOUNT_ID} not found.`);

/**
 * Streams as log topics: a stream is a topic, its shards are the topic's partitions. Streams and
 * topics share one namespace, so every topic whose name is a valid stream name is listed as a stream.
 */
export class StreamCatalog {
  /** `batchTopics`: the topics of the batch path (the ones the lake sink copies); they are never deleted as streams. */
  constructor(
    private readonly log: Log,
    private readonly batchTopics?: RegExp,
  ) {}

  /** The stream an input names by `StreamName` or `StreamARN`; both must agree when both are given. */
  nameOf(input: Input): string {
    const name = optString(input, 'StreamName');
    const arn = optString(input, 'StreamARN', 1, 2048);
    let fromArn: string | undefined;
    if (arn !== undefined) {
      const m = /^arn:aws[a-z-]*:kinesis:[a-z0-9-]*:\d*:stream\/(.+)$/.exec(arn);
      if (!m)
        throw new PinpipeError(
          'KINESIS_VALIDATION',
          `1 validation error detected: Value ${JSON.stringify(arn).slice(0, 140)} at 'streamARN' failed to satisfy constraint: Member must be a Kinesis stream ARN`,
        );
      fromArn = m[1];
    }
    if (name !== undefined && fromArn !== undefined && name !== fromArn) {
      throw new PinpipeError('KINESIS_INVALID_ARGUMENT', `StreamName ${name} and StreamARN ${arn} name different streams.`);
    }
    const chosen = name ?? fromArn;
    if (chosen === undefined) throw new PinpipeError('KINESIS_INVALID_ARGUMENT', 'Either StreamName or StreamARN should be provided.');
    return assertStreamName(chosen);
  }

  /** Create a stream of `shards` shards; ResourceInUseException when it exists. */
  async create(name: string, shards: number): Promise<TopicInfo> {
    assertStreamName(name);
    if (!Number.isInteger(shards) || shards < 1)
      throw new PinpipeError(
        'KINESIS_VALIDATION',
        `1 validation error detected: Value ${shards} at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      );
    if (shards > MAX_SHARDS) throw new PinpipeError('KINESIS_LIMIT_EXCEEDED', `A stream may have at most ${MAX_SHARDS} shards; ${shards} were asked for.`);
    try {
      return await this.log.createTopic(name, { partitions: shards });
    } catch (err) {
      if (isError(err, 'TOPIC_EXISTS')) throw new PinpipeError('TOPIC_EXISTS', `Stream ${name} under account ${ACCOUNT_ID} already exists.`);
      throw err;
    }
  }

  /** An existing stream, or ResourceNotFoundException. */
  async require(name: string): Promise<TopicInfo> {
    const info = await this.log.describeTopic(name);
    if (!info) throw notFound(name);
    return info;
  }

  /** The stream a put goes to: created with one shard when missing and `autoCreate` is on. */
  async forPut(name: string, autoCreate: boolean): Promise<TopicInfo> {
    if (!autoCreate) return this.require(name);
    return (await this.log.describeTopic(name)) ?? this.log.ensureTopic(name, { partitions: 1 });
  }

  /** Delete a stream with its records; ResourceNotFoundException when it does not exist, TOPIC_NOT_DELETABLE for a topic of the batch path. */
  async delete(name: string): Promise<void> {
    if (this.batchTopics?.test(name)) {
      throw new PinpipeError(
        'TOPIC_NOT_DELETABLE',
        `${name} is a topic of the batch path (the lake sink copies topics matching sink.topicsRegex), not a stream: it cannot be deleted through the stream APIs.`,
      );
    }
    try {
      await this.log.deleteTopic(name);
    } catch (err) {
      if (isError(err, 'TOPIC_NOT_FOUND')) throw notFound(name);
      throw err;
    }
  }

  /** Every stream, sorted by name. */
  async list(): Promise<TopicInfo[]> {
    return (await this.log.listTopics()).filter((t) => isStreamName(t.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
