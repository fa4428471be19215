/**
 * Download progress on a stream (stderr): on a terminal one line rewritten in place (at most
 * ten times a second); elsewhere (CI logs, pipes) plain lines at every 10 % step — or every
 * 10 MB when the size is unknown — so logs stay short.
 */
export interface Progress {
  update(received: number, total: number | undefined): void;
  done(received: number): void;
}

interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function describe(received: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return formatBytes(received);
  const percent = Math.min(100, Math.floor((100 * received) / total));
  return `${String(percent).padStart(3)}% (${formatBytes(received)} of ${formatBytes(total)})`;
}

export function createProgress(label: string, sink: Sink | false): Progress {
  if (!sink) return { update() {}, done() {} };
  if (sink.isTTY) {
    let last = 0;
    return {
      update(received, total) {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        sink.write(`\r${label}: ${describe(received, total)}\x1b[K`);
      },
      done(received) {
        sink.write(`\r${label}: done, ${formatBytes(received)}\x1b[K\n`);
      },
    };
  }
  let step = -1;
  return {
    update(received, total) {
      const next = total !== undefined && total > 0 ? Math.floor((10 * received) / total) : Math.floor(received / 1e7);
      if (next === step) return;
      step = next;
      sink.write(`${label}: ${describe(received, total)}\n`);
    },
    done(received) {
      sink.write(`${label}: done, ${formatBytes(received)}\n`);
    },
  };
}
