/**
 * The API server as the oracle of the validator's schema and Pod Security checks: every case of the validation corpus
 * in a `schema-*` or `pss-*` category is dry-run against the e2e cluster (Kubernetes with Istio's CRDs of the
 * installed release and the Gateway API CRDs of the cluster's channel (./support/istio.ts), strict field validation, Pod Security admission enforcing and warning `restricted`), and the
 * server's verdict must match the validator's (the corpus' expectation, which test/validation/corpus.test.ts holds
 * the validator to; a finding of severity warning counts as a rejection, as the server rejects a kind it has no CRD
 * for). Where the two cannot agree by design the case is listed below with the reason, and the test
 * checks that the reason still holds.
 */
import { corpusCases, CORPUS } from '../validation/corpus';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests, type LoadedObjects } from '../../src/validation';
import { kubectl, kubectlResult, waitForCrds } from './support/cluster';
import { CLUSTER_GATEWAY_API_CRDS_FILE, clusterGatewayApiChannel } from './support/istio';

/** Cases where the server's verdict differs from the validator's on purpose, and why. */
const SERVER_CANNOT_JUDGE: Record<string, string> = {
  'schema-unknown-field/fail-newer-istio-field.yaml':
    'the validator checks every supported Istio release, down to 1.22.8, which lacks retries.backoff; the server has only the CRDs of the installed release, which has it',
  ...(clusterGatewayApiChannel() === 'experimental' ? {
    'schema-unknown-field/fail-gateway-api-experimental-field.yaml':
      'the e2e cluster has the experimental channel (dev needs it), whose HTTPRoute has retry; the case\'s namespace is not labelled for it, so the validator checks it against the standard channel',
  } : {}),
};

const NAMESPACE = 'bookinfo';
const cases = corpusCases().filter((c) => /^(schema|pss)-/.test(c.rule));

beforeAll(async () => {
  // The cluster's own channel (./support/istio.ts): re-applying the other one would change the CRDs for every test.
  await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=mesh-platform-e2e', '-f', CLUSTER_GATEWAY_API_CRDS_FILE]);
  await waitForCrds();
  // The corpus' namespace, enforcing and warning `restricted` like the platform's, so Pod Security judges Pods
  // (enforce: rejected) and workloads (warn: "would violate").
  await kubectl(['create', 'namespace', NAMESPACE]).catch(() => undefined);
  await kubectl(['label', '--overwrite', 'namespace', NAMESPACE, 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted']);
});

/** The objects a case file itself holds (the corpus applies them over a base the server already accepts). */
function caseObjects(file: string): object[] {
  const path = join(CORPUS, file);
  const loaded: LoadedObjects = { objects: [], sources: [] };
  parseManifests(readFileSync(path, 'utf8'), path, loaded);
  return loaded.objects;
}

/** The server's verdict: rejected (an error, or a Pod Security warning for a workload) or accepted. */
async function serverRejects(objects: object[]): Promise<{ rejected: boolean; output: string }> {
  const result = await kubectlResult(
    ['apply', '--server-side', '--dry-run=server', '--field-manager=mesh-platform-e2e', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  );
  return { rejected: result.code !== 0 || /would violate PodSecurity/.test(result.stderr), output: result.stderr.trim() };
}

test('the corpus has schema and Pod Security cases to compare', () => {
  expect(cases.length).toBeGreaterThan(30);
});

test.each(cases.map((c) => [c.file, c] as const))('%s', async (file, corpusCase) => {
  const validatorRejects = corpusCase.expectFailure;
  const { rejected, output } = await serverRejects(caseObjects(file));
  const disagreement = SERVER_CANNOT_JUDGE[file];
  const verdicts = { validator: validatorRejects ? 'rejects' : 'accepts', server: rejected ? 'rejects' : 'accepts', output };
  if (disagreement) {
    expect({ ...verdicts, agree: rejected === validatorRejects }).toEqual({ ...verdicts, agree: false });
  } else {
    expect({ ...verdicts, agree: rejected === validatorRejects }).toEqual({ ...verdicts, agree: true });
  }
});
