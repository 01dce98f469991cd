/**
 * A one-line `\r` progress display on stderr, only when stderr is a terminal (never in logs or
 * pipes). Hand-rolled: twenty lines do not justify a dependency.
 */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let shown = -1;
  return {
    update(done, total) {
      const percent = total > 0 ? Math.floor((done * 100) / total) : 100;
      if (percent === shown) return;
      shown = percent;
      const width = 30;
      const filled = Math.round((percent * width) / 100);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%`);
    },
    finish() {
      if (shown >= 0) stream.write('\r\x1b[K');
    },
  };
}
