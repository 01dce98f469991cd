/**
 * replay(): the report a recorded run would have produced, rebuilt from its journal. recover(): the
 * same for a run that died, adding what was still in its ring file and saying what was lost.
 */
import * as fs from 'node:fs';
import { Aggregator } from '../aggregator/aggregator';
import { JournalError } from '../errors';
import { EventBatch, RECORD_BYTES } from '../events/format';
import type { Report } from '../report/types';
import { invalidOption } from '../errors';
import { expectKnownKeys, expectObject, expectString } from '../validate';
import { ringFileOf } from './format';
import { JournalReader, type JournalBlock } from './reader';
import { RingFile } from './ring-file';

export interface ReplayOptions {
  /** Called after each block with bytes read so far and the file size (for a progress display). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** A run of sequence numbers whose events are not in the recovered report. */
export interface LostRange {
  /**
   * First and last sequence number, inclusive; null where the damage hides it (no readable event
   * before it, or none after it and no ring file to say where the journal ended).
   */
  first: number | null;
  last: number | null;
  /** Sequence numbers in the range (events lost; a ring change inside the damage adds its unused gap); null when a bound is unknown. */
  count: number | null;
  /** `journal`: consumed from the ring but missing from the journal (damaged or torn journal bytes);
   * `unpublished`: claimed by a producer that died before publishing it, or after such a slot. */
  reason: 'journal' | 'unpublished';
  /** `journal` ranges from unreadable journal bytes: that stretch of the journal file, inclusive. */
  bytes?: { first: number; last: number };
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
  /** Unreadable journal stretches; the last one stays open (last null) until an event or ring block follows it. */
  lost: LostRange[] = [];
  private open: LostRange | null = null;

  apply(block: JournalBlock): void {
    switch (block.type) {
      case 'damage': {
        const first = this.lastSeq >= 0 ? this.lastSeq + 1 : this.ring ? this.ring.firstSeq : null;
        this.open = { first, last: null, count: null, reason: 'journal', bytes: { first: block.offset, last: block.end - 1 } };
        this.lost.push(this.open);
        break;
      }
      case 'events':
        if (this.open && block.batch.count > 0) {
          // The stretch ends where the next readable events begin.
          this.open.last = block.batch.seq(0) - 1;
          if (this.open.first !== null) this.open.count = this.open.last - this.open.first + 1;
          this.open = null;
        }
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
        // Events of the previous ring may have been lost up to here: how many is not known.
        this.open = null;
        this.ring = { firstSeq: block.firstSeq, capacity: block.capacity };
        this.ringDropped = 0;
        break;
      case 'end':
        this.dropped = block.dropped;
        this.ended = true;
        break;
    }
  }

  /** The stretch still open at the end of the journal: its events ran up to where the journal was cut. */
  trailing(): LostRange | null {
    return this.open;
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

/** `options` of replay()/recover(): undefined or a plain object with at most a function `onProgress`. */
function checkOptions(where: 'replay()' | 'recover()', options: unknown): ReplayOptions {
  if (options === undefined) return {};
  const o = expectObject(`${where} options`, options);
  expectKnownKeys(where, o, ['onProgress']);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw invalidOption(`${where} onProgress`, 'a function', o.onProgress, 'type');
  }
  return o as ReplayOptions;
}

function readAll(reader: JournalReader, replayer: Replayer, options: ReplayOptions, resync = false): void {
  for (const block of reader.blocks(resync)) {
    replayer.apply(block);
    options.onProgress?.(reader.validBytes, reader.size);
  }
}

/**
 * Rebuilds the report of a recorded run from its journal: equal to what report() returned in that
 * run after its last event (and after its last reset(), if any). Throws JournalError for a damaged or
 * truncated journal; use recover() for the journal of a process that died.
 */
export function replay(journal: string, options?: ReplayOptions): Report {
  const file = expectString('replay() journal', journal);
  options = checkOptions('replay()', options);
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
 * Rebuilds the report of a run that died while recording: every readable block of the journal (a
 * torn last block is expected after a kill; a damaged stretch is skipped up to the next whole block),
 * then every event still published in `<journal>.ring`, in order, up to the first gap. Lists what was
 * lost: every unreadable stretch of the journal with its bytes and, where known, its sequence numbers.
 * Throws JournalError when the journal header or the ring file header is unreadable, or the ring file
 * belongs to another run or journal.
 */
export function recover(journal: string, options?: ReplayOptions): RecoveryResult {
  const file = expectString('recover() journal', journal);
  const checked = checkOptions('recover()', options);
  const reader = new JournalReader(file);
  const replayer = new Replayer();
  let journalError: JournalError | null = null;
  try {
    for (const block of reader.blocks(true)) {
      if (block.type === 'damage') journalError ??= block.error;
      replayer.apply(block);
      checked.onProgress?.(block.type === 'damage' ? block.end : reader.validBytes, reader.size);
    }
  } finally {
    reader.close();
  }
  const journalEvents = replayer.events;
  const ringPath = ringFileOf(file);
  const lost = replayer.lost;
  const result = { journalEvents, ringEvents: 0, lost, journalComplete: replayer.ended, journalError, ringFile: null as string | null, userCounter: 0 };
  if (!fs.existsSync(ringPath)) return { ...result, report: replayer.report() };

  const ring = new RingFile(ringPath);
  try {
    const h = ring.header;
    if (reader.header.runId !== h.runId) {
      const hex = (id: bigint) => `0x${id.toString(16).padStart(16, '0')}`;
      throw new JournalError('ERR_JOURNAL_RING', ringPath, 96,
        `ring file belongs to another run (its run id is ${hex(h.runId)}; the journal's is ${hex(reader.header.runId)})`);
    }
    if (replayer.ring && (replayer.ring.firstSeq !== h.firstSeq || replayer.ring.capacity !== h.capacity)) {
      throw new JournalError('ERR_JOURNAL_RING', ringPath, 0,
        `ring file does not belong to this journal (ring starts at sequence ${h.firstSeq} with ${h.capacity} slots; ` +
        `the journal's ring starts at ${replayer.ring.firstSeq} with ${replayer.ring.capacity})`);
    }
    // Everything below head was consumed, so journaled; what the journal lacks of it was lost with its tail.
    const journaledUpTo = Math.max(replayer.lastSeq + 1, h.firstSeq);
    const trailing = replayer.trailing();
    if (trailing) {
      // The damaged tail held the events consumed up to head: the ring file bounds the stretch (the
      // events from head on are in the ring file itself; none lost when it starts at or after head).
      trailing.first ??= h.firstSeq;
      trailing.last = trailing.first < h.head ? h.head - 1 : null;
      trailing.count = Math.max(0, h.head - trailing.first);
    } else if (journaledUpTo < h.head) {
      lost.push({ first: journaledUpTo, last: h.head - 1, count: h.head - journaledUpTo, reason: 'journal' });
    }
    // The journal may already hold events the collector had not yet released when the process died.
    const { records, count, stoppedAt } = ring.readPublished(Math.max(h.head, replayer.lastSeq + 1));
    if (count > 0) replayer.consume(new EventBatch(records.buffer as ArrayBuffer, records.byteOffset, count * RECORD_BYTES));
    if (stoppedAt < h.tail) lost.push({ first: stoppedAt, last: h.tail - 1, count: h.tail - stoppedAt, reason: 'unpublished' });
    result.ringEvents = count;
    result.ringFile = ringPath;
    result.userCounter = h.userCounter;
    return { ...result, report: replayer.report(Math.max(0, h.dropped - replayer.ringDropped)) };
  } finally {
    ring.close();
  }
}
