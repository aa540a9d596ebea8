/**
 * The Pulumi program's failure paths against the e2e cluster, on a stack of their own (no update of it ever
 * succeeds): a context the kubeconfig lacks and an unreachable cluster fail at once, naming the kubeconfig, the
 * context and the server; an object the API server refuses fails the update, naming the object and the server's
 * reason. dev under a platform name of its own (stack config `overrides.name`), so this file runs beside
 * test/e2e/pulumi.test.ts and the others.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../support/ports';
import { kubeconfig, kubectl } from './support/cluster';
import { devStackProject, type PulumiProject, succeeded } from './support/pulumi';

const STACK = 'e2e-failures';
/** The platform's name, and so its namespace (where the admission policy below refuses). */
const NAME = 'e2e-failures';
const NAMESPACE = NAME;

let project: PulumiProject;

beforeAll(async () => {
  project = await devStackProject(STACK, NAME, `e2e-postgres-${randomBytes(12).toString('hex')}`);
}, 900_000);

afterAll(() => {
  project?.remove();
});

describe('failure paths', () => {
  const output = (result: { stdout: string; stderr: string }) => `${result.stdout}\n${result.stderr}`;

  test('a context the kubeconfig lacks fails the preview at once, naming the context and the kubeconfig', async () => {
    succeeded(await project.pulumi(['config', 'set', 'kubeContext', 'no-such-context']), 'config set kubeContext');
    const started = Date.now();
    const result = await project.deploy(['preview', '--stack', STACK]);
    succeeded(await project.pulumi(['config', 'rm', 'kubeContext']), 'config rm kubeContext');
    expect(result.code).not.toBe(0);
    expect(output(result)).toContain(`mesh-platform:kubeContext: context "no-such-context" is not in ${kubeconfig()}`);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  test('an unreachable cluster fails the update at once, naming the kubeconfig, the context and the server', async () => {
    const port = await freePort();
    const unreachable = join(project.dir, 'unreachable.kubeconfig');
    writeFileSync(unreachable, readFileSync(kubeconfig(), 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${port}`));
    succeeded(await project.pulumi(['config', 'set', 'kubeconfig', unreachable]), 'config set kubeconfig');
    const started = Date.now();
    const result = await project.deploy(['up', '--yes', '--stack', STACK]);
    succeeded(await project.pulumi(['config', 'set', 'kubeconfig', kubeconfig()]), 'config set kubeconfig back');
    expect(result.code).not.toBe(0);
    expect(output(result)).toMatch(new RegExp(`mesh-platform:kubeconfig: the cluster of context "[^"]+" in ${unreachable} \\(https://127\\.0\\.0\\.1:${port}\\) is unreachable`));
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  test('an object the API server rejects fails the update, naming that object and the server\'s reason', async () => {
    // A real admission decision: a ValidatingAdmissionPolicy (CEL, in the API server) that refuses one ConfigMap.
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'e2e-refuse-order-config' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }],
          // This stack's namespace (and `default`, where waitForRefusal probes): other files deploy order-service meanwhile.
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['default', NAMESPACE] }] },
        },
        validations: [{ expression: "object.metadata.name != 'order-service-config'", message: 'e2e refuses order-service-config' }],
      },
    };
    const binding = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'e2e-refuse-order-config' },
      spec: { policyName: 'e2e-refuse-order-config', validationActions: ['Deny'] },
    };
    await kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [policy, binding] }));
    try {
      // The policy takes effect once the API server has loaded it; until then the update could still succeed.
      await waitForRefusal();
      const result = await project.deploy(['up', '--yes', '--stack', STACK]);
      expect(result.code).not.toBe(0);
      expect(output(result)).toMatch(/order-service-config[\s\S]*e2e refuses order-service-config/);
    } finally {
      await kubectl(['delete', 'validatingadmissionpolicybinding,validatingadmissionpolicy', 'e2e-refuse-order-config']);
      succeeded(await project.deploy(['destroy', '--yes', '--stack', STACK]), 'destroy after the failed update');
    }
  });
});

/** Retries a dry-run create of the refused ConfigMap until admission refuses it (policies load asynchronously). */
async function waitForRefusal(): Promise<void> {
  const configMap = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'order-service-config', namespace: 'default' } });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const refused = await kubectl(['create', '--dry-run=server', '-f', '-'], configMap).then(() => false, () => true);
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the ValidatingAdmissionPolicy never took effect');
}
