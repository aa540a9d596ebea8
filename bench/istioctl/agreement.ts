/**
 * `npm run analyze:agreement`: `istioctl analyze` (offline, `--use-kube=false`, istioctl of the installed Istio from the
 * toolchain) and the validator on the same inputs, case by case: every corpus case (test/validation/corpus: the base
 * application with the case applied, as the corpus test builds it) and every environment's synthesized output. A
 * verdict is "error" when the tool reports at least one error (istioctl: an Error-level message). The validator runs in
 * its default mode and with `strict` (istioctl's stances). Prints the table, writes bench/results/istioctl-agreement.json
 * and docs/validation.md's block between `<!-- analyze:agreement:start -->` and `<!-- analyze:agreement:end -->`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { imageReferences } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/description';
import { toolPath, toolUnavailableReason } from '../../src/toolchain';
import { TOOLCHAIN } from '../../src/versions';
import { hasErrors, type KubeObject, type ObjectSource, type Rule, RULES, validateObjects } from '../../src/validation';
import { corpusCases } from '../../test/validation/corpus';

const RESULTS_DOC = join(__dirname, '../../docs/validation.md');

interface Input {
  readonly name: string;
  /** Corpus category of the case's rule (`schema`, `reference`, `policy`, …), or `platform output`. */
  readonly group: string;
  readonly objects: KubeObject[];
  /** Where a corpus case's objects were read, with what kubectl would refuse in their YAML (object-yaml). */
  readonly sources?: ObjectSource[];
}

/** istioctl analyze on `file`: whether it reported an Error-level message, and their codes. */
function analyze(istioctl: string, file: string): Promise<{ error: boolean; codes: string[] }> {
  return new Promise((resolve, reject) => {
    execFile(istioctl, ['analyze', '--use-kube=false', '--all-namespaces', '-o', 'json', file], { maxBuffer: 64 * 1024 * 1024 }, (failure, stdout, stderr) => {
      // An object istioctl cannot read (a malformed duration, say) is logged and left out: a rejection of the input.
      const unreadable = /error processing/.test(`${stdout}${stderr}`) ? ['unreadable'] : [];
      const json = stdout.slice(Math.max(0, stdout.search(/^\[/m)));
      let messages: { code: string; level: string }[];
      try {
        messages = json.trim().startsWith('[') ? JSON.parse(json) : [];
      } catch {
        reject(new Error(`istioctl analyze ${file}: no JSON (${failure?.message ?? stdout.slice(0, 200)})`));
        return;
      }
      const errors = messages.filter((message) => message.level === 'Error');
      const codes = [...unreadable, ...new Set(errors.map((message) => message.code))];
      resolve({ error: codes.length > 0, codes });
    });
  });
}

async function main(): Promise<void> {
  const istioctl = toolPath('istioctl');
  if (!istioctl) {
    console.error(`analyze:agreement: ${toolUnavailableReason('istioctl')}`);
    process.exitCode = 1;
    return;
  }
  const category = new Map<string, Rule['category']>(RULES.map((rule) => [rule.id, rule.category]));
  const inputs: Input[] = [
    ...ENVIRONMENTS.map((env) => ({ name: `platform ${env}`, group: 'platform output', objects: synthesizePlatform(env, { images: imageReferences }).objects as KubeObject[] })),
    ...corpusCases().map((c) => ({ name: c.file, group: `${category.get(c.rule) ?? 'other'} cases`, objects: c.objects, sources: c.sources })),
  ];
  const scratch = mkdtempSync(join(tmpdir(), 'analyze-agreement-'));
  const results: { name: string; group: string; istioctl: boolean; codes: string[]; ours: boolean; strict: boolean }[] = [];
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < inputs.length) {
        const input = inputs[next++];
        const file = join(scratch, `${results.length}-${input.name.replace(/[^\w.-]/g, '_')}.yaml`);
        writeFileSync(file, input.objects.map((object) => stringify(object)).join('---\n'));
        const theirs = await analyze(istioctl, file);
        results.push({
          name: input.name, group: input.group, istioctl: theirs.error, codes: theirs.codes,
          ours: hasErrors(validateObjects(input.objects, { sources: input.sources })),
          strict: hasErrors(validateObjects(input.objects, { strict: true, sources: input.sources })),
        });
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  results.sort((a, b) => a.name.localeCompare(b.name));
  const groups = [...new Set(results.map((r) => r.group))].sort((a, b) => (a === 'platform output' ? -1 : b === 'platform output' ? 1 : a.localeCompare(b)));
  const row = (label: string, rows: typeof results): string => {
    const agree = (mode: 'ours' | 'strict'): number => rows.filter((r) => r[mode] === r.istioctl).length;
    const both = rows.filter((r) => r.ours && r.istioctl).length;
    const onlyOurs = rows.filter((r) => r.ours && !r.istioctl).length;
    const onlyTheirs = rows.filter((r) => !r.ours && r.istioctl).length;
    return `| ${label} | ${rows.length} | ${agree('ours')} | ${agree('strict')} | ${both} | ${onlyOurs} | ${onlyTheirs} |`;
  };
  const disagreements = results.filter((r) => r.istioctl && !r.strict).map((r) => `\`${r.name}\` (${r.codes.join(', ')})`);
  const table = [
    `Generated by \`npm run analyze:agreement\` (istioctl ${TOOLCHAIN.istioctl.release} analyze --use-kube=false, on ${results.length} inputs).`,
    '',
    '| inputs | count | same verdict (default) | same verdict (--strict) | both error | only the validator errs | only istioctl errs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...groups.map((group) => row(group, results.filter((r) => r.group === group))),
    row('**all**', results),
    '',
    `Where only istioctl errs in strict mode: ${disagreements.join(', ') || 'nowhere'}. The validator errs alone where istioctl has no`
      + ' analyzer (Pod Security, container policy, Kubernetes schemas, most Kubernetes references): by design.',
  ].join('\n');
  console.log(table);
  mkdirSync(join(__dirname, '../results'), { recursive: true });
  writeFileSync(join(__dirname, '../results/istioctl-agreement.json'), JSON.stringify(results, null, 2));
  const docs = readFileSync(RESULTS_DOC, 'utf8');
  const block = /<!-- analyze:agreement:start -->[\s\S]*<!-- analyze:agreement:end -->/;
  if (!block.test(docs)) throw new Error(`${RESULTS_DOC}: markers <!-- analyze:agreement:start --> ... <!-- analyze:agreement:end --> not found`);
  writeFileSync(RESULTS_DOC, docs.replace(block, `<!-- analyze:agreement:start -->\n${table}\n<!-- analyze:agreement:end -->`));
}

main().catch((error: unknown) => {
  console.error(`analyze:agreement: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
