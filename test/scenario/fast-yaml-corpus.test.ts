// Every YAML file shipped with the project, and a generated scenario, parse the same with the
// fast parser as with the full one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/generate';
import { parseYaml } from '../../src/scenario/yaml-source';
import { expectSameParse } from './parse-both-ways';

const ROOTS = ['scenarios', 'test/fixtures', 'examples', 'docs'];

function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}

/** Manifests written inline in a scenario are parsed on their own too. */
function inlineTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(inlineTexts);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'inline' && typeof v === 'string' ? [v] : inlineTexts(v)));
}

function textsOf(file: string, text: string): [string, string][] {
  const docs = parseYaml(text, file).docs;
  return [[file, text], ...docs.flatMap((d) => inlineTexts(d.value)).map((t, i): [string, string] => [`${file} inline #${i}`, t])];
}

const files = ROOTS.flatMap(yamlFiles);
const texts = files.flatMap((f) => textsOf(f, readFileSync(f, 'utf8')));

describe('the fast parser on the project files', () => {
  it('finds the files', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(texts)('%s', (_name, text) => {
    expectSameParse(text);
  });

  it('takes most of them', () => {
    const taken = texts.filter(([, t]) => expectSameParse(t)).length;
    expect(taken).toBeGreaterThan(texts.length * 0.6);
  });

  it('takes a generated scenario and its manifests', () => {
    const scenario = generateScenario({ pods: 60, services: 6, namespaces: 3, singleFile: true }).get('scenario.yaml')!;
    const all = textsOf('scenario.yaml', scenario);
    expect(all.length).toBeGreaterThan(2);
    for (const [, t] of all) expect(expectSameParse(t)).toBe(true);
  });
});
