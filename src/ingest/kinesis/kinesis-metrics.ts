import { counter } from '../../core/metrics.js';

/** Counters of the stream (Kinesis) ingestion. */
export const kinesisMetrics = {
  records: counter('pinpipe_ingest_stream_records_total', 'Records acknowledged by the stream (Kinesis) APIs', ['stream']),
  rejected: counter('pinpipe_ingest_stream_rejected_records_total', 'Stream records refused, by Kinesis error type', ['type']),
  read: counter('pinpipe_ingest_stream_records_read_total', 'Records returned by GetRecords', ['stream']),
  requests: counter('pinpipe_ingest_kinesis_requests_total', 'Kinesis JSON 1.1 requests, by operation', ['operation']),
  /** Shared with the REST error handler: requests refused, by pinpipe error code. */
  requestErrors: counter('pinpipe_ingest_request_errors_total', 'Requests refused, by error code', ['code']),
};
