// `file:` / `inline:` manifest sources of `spec.resources` and `apply` steps.
import { dirname, isAbsolute, join } from 'node:path';
import { loadManifestText, loadManifests } from './manifests';
import type { ManifestLoad } from './manifests';
import type { LoadContext } from './context';
import type { Path } from './yaml-source';

export type ManifestSource = { file: string } | { inline: string };

export function sourceOf(v: { file?: string; inline?: string }): ManifestSource {
  return v.file !== undefined ? { file: v.file } : { inline: v.inline ?? '' };
}

/** A path written in a scenario, as the user would name it from where they ran meshsim. */
export function relativeToScenario(scenarioFile: string, file: string): string {
  return isAbsolute(file) ? file : join(dirname(scenarioFile), file);
}

/**
 * Loads the manifests of a source written at `path` (the mapping holding `file:` or `inline:`).
 * Problems go to the context; with `rejectInvalid`, objects failing validation are returned in
 * `rejected` instead (a step that expects the API server to refuse them).
 */
export function loadSource(ctx: LoadContext, source: ManifestSource, path: Path, clusters: string[], rejectInvalid = false): ManifestLoad {
  const load =
    'file' in source
      ? loadManifests([relativeToScenario(ctx.file, source.file)], { origin: () => ctx.at([...path, 'file']), rejectInvalid, strings: ctx.strings })
      : loadManifestText(source.inline, ctx.file, { mapPos: ctx.doc.embedded([...path, 'inline']), reread: ctx.doc.rereader([...path, 'inline']), rejectInvalid, strings: ctx.strings });
  ctx.diags.addAll(load.diagnostics);
  for (const r of load.resources) r.clusters = clusters;
  return load;
}
