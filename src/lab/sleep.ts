// `sleep` inside a lab: advances simulated time at once instead of waiting on the wall clock.
import { fail, ok, type CommandResult } from './invocation';
import type { LabSession } from './session';

const UNIT_MS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** GNU sleep's arguments: numbers with an optional s/m/h/d suffix, summed. */
export function sleepMs(args: readonly string[]): number | string {
  if (args.length === 0) return 'sleep: missing operand';
  let total = 0;
  for (const a of args) {
    if (a === 'infinity' || a === 'inf') return `sleep: ${a}: a lab step cannot sleep forever (simulated time would never come back)`;
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) return `sleep: invalid time interval '${a}'`;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  return total;
}

export function runSleep(s: LabSession, args: readonly string[]): CommandResult {
  const ms = sleepMs(args);
  if (typeof ms === 'string') return fail(`${ms}\nTry 'sleep --help' for more information.`, 1);
  s.advance(ms);
  return ok();
}
