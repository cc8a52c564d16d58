// Reading generated files back: every manifest document, parsed, with its kind.
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { generateScenario, writeScenarioFolder, type GenerateInput } from '../../src/generate';
import { testDir } from '../test-dir';

export interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** Every manifest document of the generated files (scenario.yaml's inline resources included). */
export function manifestDocs(files: Map<string, string>): { file: string; doc: Doc }[] {
  const out: { file: string; doc: Doc }[] = [];
  const add = (file: string, text: string) => {
    for (const d of parseAllDocuments(text)) {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
      const doc = d.toJS() as Doc | null;
      if (doc) out.push({ file, doc });
    }
  };
  for (const [file, text] of files) {
    if (file.startsWith('manifests/')) add(file, text);
  }
  const scenario = parse(files.get('scenario.yaml')!) as { spec: { resources: { inline?: string }[] } };
  for (const r of scenario.spec.resources) if (r.inline !== undefined) add('scenario.yaml', r.inline);
  return out;
}

export function ofKind(docs: { doc: Doc }[], kind: string): Doc[] {
  return docs.map((d) => d.doc).filter((d) => d.kind === kind);
}

/** Generates into a fresh temporary folder and returns its path. */
export function generateInto(input: GenerateInput): string {
  const dir = join(testDir('generate'), 'out');
  const written = writeScenarioFolder(dir, generateScenario(input));
  if (!written.ok) throw new Error(written.error);
  return dir;
}
