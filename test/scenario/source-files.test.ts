// Reading the files a user names: a regular file whole, a device or pipe up to a limit, so an
// endless one is an error instead of a process that never returns.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, readText } from '../../src/scenario/source-files';
import { testDir } from '../test-dir';

describe('readText', () => {
  it('reads a file, and says so when it is a folder or missing', () => {
    const dir = testDir('source-files');
    const file = join(dir, 'm.yaml');
    writeFileSync(file, 'kind: Namespace\nmetadata: { name: é }\n');
    expect(readText(file)).toEqual({ text: 'kind: Namespace\nmetadata: { name: é }\n' });
    expect(readText(dir)).toEqual({ error: 'is a directory' });
    expect(readText(join(dir, 'nope.yaml'))).toEqual({ error: 'no such file or directory' });
  });

  it('reads a device that ends (/dev/null) and refuses one that never does (/dev/zero)', () => {
    expect(readText('/dev/null')).toEqual({ text: '' });
    expect(readText('/dev/zero')).toEqual({ error: `larger than ${MAX_FILE_BYTES / 2 ** 20} MiB` });
  });
});
