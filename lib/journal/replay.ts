/**
 * replay(): the report a recorded run would have produced, rebuilt from its journal. recover(): the
 * same for a run that died, adding what was still in its ring file and saying what was lost.
 */
import * as fs from 'node:fs';
import { Aggregator } from '../aggregator/aggregator';
import { JournalError } from '../errors';
import { EventBatch, RECORD_BYTES } from '../events/format';
import type { Report } from '../report/types';
import { expectString } from '../validate';
import { ringFileOf } from './format';
import { JournalReader, type JournalBlock } from './reader';
import { RingFile } from './ring-file';

export interface ReplayOptions {
  /** Called after each block with bytes read so far and the file size (for a progress display). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** A run of sequence numbers whose events are not in the recovered report. */
export interface LostRange {
  /** First and last sequence number, inclusive. */
  first: number;
  last: number;
  count: number;
  /** `journal`: consumed from the ring but missing from the journal (a damaged journal tail);
   * `unpublished`: claimed by a producer that died before publishing it, or after such a slot. */
  reason: 'journal' | 'unpublished';
}

export interface RecoveryResult {
  report: Report;
  /** Events read from the journal (after its last reset). */
  journalEvents: number;
  /** Events read from the ring file. */
  ringEvents: number;
  lost: LostRange[];
  /** The journal ends with an end block: the process finished it (nothing to recover from the ring). */
  journalComplete: boolean;
  /** Why reading the journal stopped before its end (a torn last block after a kill), or null. */
  journalError: JournalError | null;
  /** The ring file read, or null when there was none. */
  ringFile: string | null;
  /** The ring header's user counter (tests publish their progress there). */
  userCounter: number;
}

/** Applies journal blocks to an aggregator, as the live drain did. */
class Replayer {
  aggregator = new Aggregator();
  private names: string[] = [];
  private dropped = 0;
  private droppedAtReset = 0;
  lastSeq = -1;
  events = 0;
  ringDropped = 0;
  ring: { firstSeq: number; capacity: number } | null = null;
  ended = false;

  apply(block: JournalBlock): void {
    switch (block.type) {
      case 'events':
        this.consume(block.batch);
        this.dropped = block.dropped;
        this.ringDropped = block.ringDropped;
        break;
      case 'names':
        this.names.push(...block.names);
        this.aggregator.addNames(block.firstId, block.names);
        break;
      case 'drops':
        this.dropped = block.dropped;
        this.ringDropped = block.ringDropped;
        break;
      case 'reset':
        // reset() in the live run: a fresh aggregator that knows every name so far.
        this.aggregator = new Aggregator();
        if (this.names.length > 0) this.aggregator.addNames(1, this.names);
        this.dropped = block.dropped;
        this.droppedAtReset = block.dropped;
        this.events = 0;
        break;
      case 'ring':
        this.ring = { firstSeq: block.firstSeq, capacity: block.capacity };
        this.ringDropped = 0;
        break;
      case 'end':
        this.dropped = block.dropped;
        this.ended = true;
        break;
    }
  }

  consume(batch: EventBatch): void {
    if (batch.count === 0) return;
    this.aggregator.consume(batch);
    this.events += batch.count;
    this.lastSeq = Math.max(this.lastSeq, batch.seq(batch.count - 1));
  }

  report(extraDropped = 0): Report {
    return this.aggregator.report({ dropped: this.dropped - this.droppedAtReset + extraDropped });
  }
}

function readAll(reader: JournalReader, replayer: Replayer, options: ReplayOptions): void {
  for (const block of reader.blocks()) {
    replayer.apply(block);
    options.onProgress?.(reader.validBytes, reader.size);
  }
}

/**
 * Rebuilds the report of a recorded run from its journal: equal to what report() returned in that
 * run after its last event (and after its last reset(), if any). Throws JournalError for a damaged or
 * truncated journal; use recover() for the journal of a process that died.
 */
export function replay(journal: string, options: ReplayOptions = {}): Report {
  const file = expectString('replay() journal', journal);
  const reader = new JournalReader(file);
  try {
    const replayer = new Replayer();
    readAll(reader, replayer, options);
    return replayer.report();
  } finally {
    reader.close();
  }
}

/**
 * Rebuilds the report of a run that died while recording: the journal's valid blocks (a torn last
 * block is expected after a kill), then every event still published in `<journal>.ring`, in order,
 * up to the first gap. Lists what was lost. Throws JournalError when the journal header or the ring
 * file header is unreadable, or the ring file belongs to another journal.
 */
export function recover(journal: string, options: ReplayOptions = {}): RecoveryResult {
  const file = expectString('recover() journal', journal);
  const reader = new JournalReader(file);
  const replayer = new Replayer();
  let journalError: JournalError | null = null;
  try {
    readAll(reader, replayer, options);
  } catch (err) {
    if (!(err instanceof JournalError)) throw err;
    journalError = err;
  } finally {
    reader.close();
  }
  const journalEvents = replayer.events;
  const ringPath = ringFileOf(file);
  const result = { journalEvents, ringEvents: 0, lost: [] as LostRange[], journalComplete: replayer.ended, journalError, ringFile: null as string | null, userCounter: 0 };
  if (!fs.existsSync(ringPath)) return { ...result, report: replayer.report() };

  const ring = new RingFile(ringPath);
  try {
    const h = ring.header;
    if (replayer.ring && (replayer.ring.firstSeq !== h.firstSeq || replayer.ring.capacity !== h.capacity)) {
      throw new JournalError('ERR_JOURNAL_RING', ringPath, 0,
        `ring file does not belong to this journal (ring starts at sequence ${h.firstSeq} with ${h.capacity} slots; ` +
        `the journal's ring starts at ${replayer.ring.firstSeq} with ${replayer.ring.capacity})`);
    }
    // Everything below head was consumed, so journaled; what the journal lacks of it was lost with its tail.
    const journaledUpTo = Math.max(replayer.lastSeq + 1, h.firstSeq);
    if (journaledUpTo < h.head) result.lost.push({ first: journaledUpTo, last: h.head - 1, count: h.head - journaledUpTo, reason: 'journal' });
    // The journal may already hold events the collector had not yet released when the process died.
    const { records, count, stoppedAt } = ring.readPublished(Math.max(h.head, replayer.lastSeq + 1));
    if (count > 0) replayer.consume(new EventBatch(records.buffer as ArrayBuffer, records.byteOffset, count * RECORD_BYTES));
    if (stoppedAt < h.tail) result.lost.push({ first: stoppedAt, last: h.tail - 1, count: h.tail - stoppedAt, reason: 'unpublished' });
    result.ringEvents = count;
    result.ringFile = ringPath;
    result.userCounter = h.userCounter;
    return { ...result, report: replayer.report(Math.max(0, h.dropped - replayer.ringDropped)) };
  } finally {
    ring.close();
  }
}
