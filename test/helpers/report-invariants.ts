/** What must hold of any report, whatever stream produced it (the property and fuzz tests). */
import { expect } from 'vitest';
import type { Report } from '../../lib/report/types';

const sum = (o: object): number => Object.values(o).reduce((a: number, b: number) => a + b, 0);

export function expectReportInvariants(report: Report): void {
  // Every Alloc and Free event classified exactly once.
  expect(sum(report.classes.alloc)).toBe(report.events.alloc);
  expect(sum(report.classes.free)).toBe(report.events.free);
  // Accounting never goes negative.
  for (const d of report.devices) {
    for (const u of Object.values(d.memory)) {
      expect(u.current).toBeGreaterThanOrEqual(0);
      expect(u.peak).toBeGreaterThanOrEqual(u.current);
      expect(u.liveBuffers).toBeGreaterThanOrEqual(0);
      // A charged allocation is live, freed, or lost with its closed device.
      expect(u.allocated - u.freed - u.lost).toBe(u.liveBuffers);
    }
  }
  for (const s of report.timeline) for (const [, bytes] of s.points) expect(bytes).toBeGreaterThanOrEqual(0);
  for (const o of [...report.ops, ...report.scopes]) for (const v of Object.values(o.peak)) expect(v).toBeGreaterThanOrEqual(0);
  // Serialisable.
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
}
