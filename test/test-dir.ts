// Scratch directories for tests, under the system's temp folder, removed when the test file is done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered while the importing test file is collected, so it runs after that file's tests.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory named `meshsim-<prefix>-…`. */
export function testDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `meshsim-${prefix}-`));
  made.push(dir);
  return dir;
}
