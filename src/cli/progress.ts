// A progress bar on stderr for runs that take longer than a second, only when stderr is a
// terminal (never in CI logs or pipes); colour follows NO_COLOR.
import { SingleBar } from 'cli-progress';
import { createColors } from 'picocolors';
import { useColor } from './output';

const SHOW_AFTER_MS = 1000;

export class StepProgress {
  private bar?: SingleBar;
  private readonly started = Date.now();
  private readonly enabled = process.stderr.isTTY === true;

  constructor(private readonly label: string) {}

  update(done: number, total: number, step: string): void {
    if (!this.enabled) return;
    if (!this.bar) {
      if (Date.now() - this.started < SHOW_AFTER_MS || done >= total) return;
      const c = createColors(useColor(process.stderr));
      this.bar = new SingleBar({ format: `${c.cyan('{bar}')} {value}/{total} steps  ${this.label}: {step}`, hideCursor: true, clearOnComplete: true, stream: process.stderr });
      this.bar.start(total, done, { step });
    }
    this.bar.update(done, { step });
  }

  stop(): void {
    this.bar?.stop();
  }
}
