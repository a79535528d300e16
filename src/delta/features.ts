import { PinpipeError } from '../core/errors.js';
import { READER_VERSION, WRITER_VERSION, type Metadata, type Protocol } from './actions.js';

/**
 * Reader table features (protocol 3) this reader handles: `timestampNtz` only adds the zone-less
 * timestamp type, which it reads. Anything else changes how files or rows must be read
 * (deletionVectors, columnMapping, v2Checkpoint, typeWidening, variantType, …) and is refused.
 */
export const SUPPORTED_READER_FEATURES: readonly string[] = ['timestampNtz'];

/** What reader protocol versions 2 and 3 imply, for messages. */
const READER_VERSION_FEATURES: Record<number, string> = { 2: 'columnMapping' };

/** The reader features a protocol demands that this reader does not support, by name. */
export function unsupportedReaderFeatures(protocol: Protocol, metadata: Metadata | undefined): string[] {
  const r = protocol.minReaderVersion;
  const out = new Set<string>();
  if (r === 2) out.add(READER_VERSION_FEATURES[2]);
  if (r === 3) {
    for (const f of protocol.readerFeatures ?? []) if (!SUPPORTED_READER_FEATURES.includes(f)) out.add(f);
  }
  if (r > 3) out.add(`reader version ${r}`);
  const mapping = metadata?.configuration?.['delta.columnMapping.mode'];
  if (mapping && mapping !== 'none') out.add('columnMapping');
  return [...out];
}

/** Throw DELTA_PROTOCOL_UNSUPPORTED, naming the features, unless this reader can read a table with this protocol. */
export function assertReadableProtocol(table: string, protocol: Protocol, metadata: Metadata | undefined): void {
  const missing = unsupportedReaderFeatures(protocol, metadata);
  if (missing.length === 0) return;
  throw new PinpipeError(
    'DELTA_PROTOCOL_UNSUPPORTED',
    `Delta table ${table} uses ${missing.join(', ')} (protocol ${protocol.minReaderVersion}/${protocol.minWriterVersion}), which pinpipe cannot read; ` +
      `it reads reader version ${READER_VERSION} tables and reader version 3 with only ${SUPPORTED_READER_FEATURES.join(', ')}. ` +
      'Read it with Spark or delta-rs, or rewrite it without the feature.',
  );
}

/** Throw DELTA_PROTOCOL_UNSUPPORTED, naming the writer version or features, unless this writer (protocol 2) may write the table. */
export function assertWritableProtocol(table: string, protocol: Protocol): void {
  const w = protocol.minWriterVersion;
  if (w <= WRITER_VERSION) return;
  const features = w === 7 && protocol.writerFeatures?.length ? `writer features ${protocol.writerFeatures.join(', ')}` : `writer version ${w}`;
  throw new PinpipeError(
    'DELTA_PROTOCOL_UNSUPPORTED',
    `Delta table ${table} needs ${features} (protocol ${protocol.minReaderVersion}/${w}); pinpipe writes writer version ${WRITER_VERSION} tables only. It can still read the table.`,
  );
}
