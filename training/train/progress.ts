/** A one-line progress bar with ETA and images/s (stderr; plain lines when not a TTY). */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

export class ProgressBar {
  private readonly start = Date.now();
  private lastPrint = 0;
  private done = 0;
  private images = 0;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream | null = process.stderr,
    private readonly elapsedBefore = 0,
  ) {}

  tick(images: number, note = ''): void {
    this.done++;
    this.images += images;
    if (!this.out) return;
    const now = Date.now();
    const tty = this.out.isTTY;
    if (this.done < this.total && now - this.lastPrint < (tty ? 250 : 30_000)) return;
    this.lastPrint = now;
    const secs = (now - this.start) / 1000;
    const frac = this.done / this.total;
    const width = 24;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '-');
    const eta = (secs / this.done) * (this.total - this.done);
    const line = `${this.label} [${bar}] ${this.done}/${this.total} ${(this.images / Math.max(secs, 1e-3)).toFixed(1)} img/s ETA ${formatDuration(eta)} elapsed ${formatDuration(this.elapsedBefore + secs)} ${note}`;
    this.out.write(tty ? `\r${line.padEnd(120)}` : `${line}\n`);
    if (tty && this.done === this.total) this.out.write('\n');
  }
}
