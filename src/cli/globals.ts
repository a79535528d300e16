/** Global options every command takes (`pinpipe --data-dir … <command>`). */
export interface GlobalOptions {
  dataDir?: string;
  prefix?: string;
  config?: string;
  verbose?: boolean;
  /** `--log <url>`: log.url. */
  log?: string;
  /** `--streams <url>`: streams.url. */
  streams?: string;
}
