/**
 * The validation corpus (test/validation/corpus/): `_base/` is a clean bookinfo-like application; every other folder is
 * named after a rule id and holds `fail-*.yaml` cases (must trigger that rule, and no other error) and `pass-*.yaml`
 * cases (must not trigger it, nor any error). A case's objects replace the base objects of the same kind, namespace and
 * name, or are added. Leading comment lines are directives:
 *   `# <description>` (first line), `# expect: <text in the message>`, `# severity: warning` (the finding expected is a
 *   warning), `# append` (add the objects even if the base has one of the same name), `# remove: Kind/namespace/name`,
 *   `# no-finding: <rule id>` (a pass case also asserts this other rule stays silent), `# strict` (validated with
 *   `strict: true`, as istioctl analyze judges).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeObject, type LoadedObjects, type ObjectSource, parseManifests } from '../../src/validation';

export const CORPUS = join(__dirname, 'corpus');

/** One corpus case, parsed. */
export interface CorpusCase {
  readonly rule: string;
  readonly file: string;
  readonly expectFailure: boolean;
  readonly description: string;
  readonly expectedMessages: string[];
  readonly severity: 'error' | 'warning';
  readonly silentRules: string[];
  /** Validate with the strict option (`# strict`). */
  readonly strict: boolean;
  /** The base with the case applied. */
  readonly objects: KubeObject[];
  /** Where each object was read (same order): file, line, what kubectl would refuse in its YAML. */
  readonly sources: ObjectSource[];
}

/** The clean base application. */
export function baseObjects(): LoadedObjects {
  const loaded: LoadedObjects = { objects: [], sources: [] };
  const file = join(CORPUS, '_base', 'bookinfo.yaml');
  parseManifests(readFileSync(file, 'utf8'), file, loaded);
  return loaded;
}

const identity = (object: KubeObject): string => `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

/** Every case of the corpus. */
export function corpusCases(): CorpusCase[] {
  const base = baseObjects();
  return readdirSync(CORPUS).filter((dir) => dir !== '_base').sort().flatMap((rule) =>
    readdirSync(join(CORPUS, rule)).filter((file) => file.endsWith('.yaml')).sort().map((file) => {
      const path = join(CORPUS, rule, file);
      const text = readFileSync(path, 'utf8');
      const directives = text.split('\n').filter((line) => line.startsWith('# ')).map((line) => line.slice(2));
      const values = (name: string): string[] => directives.filter((d) => d.startsWith(`${name}: `)).map((d) => d.slice(name.length + 2));
      const loaded: LoadedObjects = { objects: [], sources: [] };
      parseManifests(text, path, loaded);
      const removed = new Set(values('remove'));
      const replaced = directives.includes('append') ? new Set<string>() : new Set(loaded.objects.map(identity));
      const kept = base.objects.flatMap((object, i) => (removed.has(identity(object)) || replaced.has(identity(object)) ? [] : [i]));
      const objects = [...kept.map((i) => base.objects[i]), ...loaded.objects];
      const sources = [...kept.map((i) => base.sources[i]), ...loaded.sources];
      return {
        rule,
        file: `${rule}/${file}`,
        expectFailure: file.startsWith('fail-'),
        description: directives[0] ?? '',
        expectedMessages: values('expect'),
        severity: values('severity')[0] === 'warning' ? 'warning' : 'error',
        silentRules: values('no-finding'),
        strict: directives.includes('strict'),
        objects,
        sources,
      } satisfies CorpusCase;
    }));
}
