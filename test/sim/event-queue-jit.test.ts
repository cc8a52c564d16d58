// The kernel's hot loop pushes and pops events through EventQueue, whose sifts V8 inlines into
// their callers. Branches a run reaches late (two events due at the same instant, a cancelled
// event at the head) must not throw that code away: the queue primes them when its module loads.
// Checked in a process of its own with V8's test intrinsics and compilation on the calling thread,
// so when code is optimized does not depend on a compiler thread's timing.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths';

const QUEUE = join(PROJECT_ROOT, 'sim', 'event-queue.ts');

// Distinct times until the queue's methods are optimized, then ties and a cancel; prints whether
// popUntil and the two sifts are optimized (V8's status bit 16) before and after.
const SCRIPT = `
const { EventQueue } = await import(${JSON.stringify(QUEUE)});
const status = new Function('f', 'return (%GetOptimizationStatus(f) & 16) !== 0');
const q = new EventQueue(64);
const proto = EventQueue.prototype;
const handler = (arg) => arg;
let x = 7;
let now = 0;
const random = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
for (let i = 0; i < 32; i++) q.post(random(), handler, { i });
for (let i = 0; i < 20000; i++) {
  q.popUntil(Infinity);
  now = q.lastTime;
  q.post(now + 1e-9 + random(), handler, { i });
}
const methods = [proto.popUntil, proto.siftDown, proto.siftUp];
const before = methods.map(status);
for (let i = 0; i < 32; i++) q.post(now + 5, handler, { i });
q.cancel(q.push(now + 6, handler, {}));
while (q.popUntil(Infinity));
console.log(JSON.stringify({ before, after: methods.map(status) }));
`;

describe('EventQueue under V8', () => {
  it('keeps its optimized code when events first fall due at the same instant and one is cancelled', () => {
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', '--import', 'tsx', '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', cwd: PROJECT_ROOT });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: [true, true, true], after: [true, true, true] });
  });
});
