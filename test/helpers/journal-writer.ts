/**
 * Builds journals byte by byte from docs/recording.md, independently of the native writer: crafted
 * (and deliberately broken) inputs for the reader's tests.
 */
import { crc32c } from '../../lib/journal/crc32c';
import { encodeRecords, FORMAT_VERSION, type EventRecord } from '../../lib/events/format';

export function journalHeader(fields: { magic?: string; version?: number; headerBytes?: number; recordBytes?: number; eventFormat?: number } = {}): Uint8Array {
  const bytes = new Uint8Array(64);
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from((fields.magic ?? 'TTALJRNL').padEnd(8, '\0').slice(0, 8), 'latin1'), 0);
  view.setUint32(8, fields.version ?? 1, true);
  view.setUint32(12, fields.headerBytes ?? 64, true);
  view.setUint32(16, fields.recordBytes ?? 64, true);
  view.setUint32(20, fields.eventFormat ?? FORMAT_VERSION, true);
  view.setUint32(24, 4242, true);
  view.setBigUint64(32, 1_700_000_000_000n, true);
  view.setUint32(60, crc32c(bytes.subarray(0, 60)), true);
  return bytes;
}

export function block(type: number, a: number | bigint, b: number | bigint, payload: Uint8Array = new Uint8Array(0),
  overrides: { length?: number; reserved?: number } = {}): Uint8Array {
  const bytes = new Uint8Array(32 + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, overrides.length ?? payload.length, true);
  view.setBigUint64(8, BigInt(a), true);
  view.setBigUint64(16, BigInt(b), true);
  view.setUint32(24, overrides.reserved ?? 0, true);
  bytes.set(payload, 32);
  view.setUint32(28, crc32c(payload, crc32c(bytes.subarray(0, 28))), true);
  return bytes;
}

export const eventsBlock = (records: Partial<EventRecord>[], dropped = 0): Uint8Array =>
  block(1, dropped, 0, new Uint8Array(encodeRecords(records)));

export function namesBlock(firstId: number, names: string[]): Uint8Array {
  const parts = names.flatMap((n) => { const b = Buffer.from(n, 'utf8'); return [Buffer.from([b.length]), b]; });
  return block(2, firstId, names.length, new Uint8Array(Buffer.concat(parts)));
}

export const endBlock = (events: number, dropped = 0): Uint8Array => block(6, events, dropped);

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
