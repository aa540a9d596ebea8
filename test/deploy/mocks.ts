/**
 * Runs Pulumi code under Pulumi's official unit-test mocks (`pulumi.runtime.setMocks`): no CLI, no engine, no cluster,
 * no Docker. Records every resource registration with its inputs, parent and dependencies, so tests can assert what
 * `pulumi up` would ask the engine to do and in which order.
 *
 * Dependencies are not part of `MockResourceArgs`, so the harness also observes the mock monitor's RegisterResource
 * requests (`getDependenciesList`, `getParent`): the same requests the real engine receives.
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
// Internal module of @pulumi/pulumi: the mock monitor installed by setMocks, and the wait for outstanding registrations.
import * as rpc from '@pulumi/pulumi/runtime/rpc';
import * as settings from '@pulumi/pulumi/runtime/settings';

/** One registered resource as the engine would see it. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly custom: boolean;
  /** The resource's inputs, with Pulumi secrets unwrapped (see `secretInputs` for which were secret). */
  readonly inputs: Record<string, unknown>;
  /** Top-level input names whose value was (or contained) a Pulumi secret. */
  readonly secretInputs: ReadonlySet<string>;
  readonly parent: string;
  /** Provider reference (`<provider urn>::<id>`) of a custom resource; empty for the default provider. */
  readonly provider: string;
  /** URNs this resource depends on (explicit `dependsOn` and input dependencies). */
  readonly dependencies: readonly string[];
  /** Property paths whose changes `pulumi up` ignores (`ignoreChanges`). */
  readonly ignoreChanges: readonly string[];
  /** Left in the cluster on delete (`retainOnDelete`). */
  readonly retainOnDelete: boolean;
}

/** The fake registry digest the mocked docker provider returns for a pushed image name. */
export function mockDigest(imageName: string): string {
  return `sha256:${createHash('sha256').update(imageName).digest('hex')}`;
}

/** The address the mocked ingress gateway Service (and a read Gateway API Gateway) reports. */
export const MOCK_GATEWAY_IP = '203.0.113.10';

/** The phase a read Canary reports. */
export const MOCK_CANARY_PHASE = 'Succeeded';

/** Resource state the mocks return: inputs plus what the real providers would compute. */
function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  switch (args.type) {
    case 'docker:index/image:Image': {
      const imageName = String(inputs.imageName);
      const repository = imageName.slice(0, imageName.lastIndexOf(':'));
      return { ...inputs, repoDigest: `${repository}@${mockDigest(imageName)}` };
    }
    case 'kubernetes:helm.sh/v3:Release':
      return { ...inputs, status: { name: inputs.name, namespace: inputs.namespace, status: 'deployed', version: inputs.version } };
    case 'kubernetes:core/v1:Service':
      return args.id ? { ...inputs, status: { loadBalancer: { ingress: [{ ip: MOCK_GATEWAY_IP }] } } } : inputs;
    // A read (`id` given) of a Gateway API Gateway that Istio has programmed: its address in the status.
    case 'kubernetes:gateway.networking.k8s.io/v1:Gateway':
      return args.id ? { ...inputs, status: { addresses: [{ type: 'IPAddress', value: MOCK_GATEWAY_IP }] } } : inputs;
    // A read of a Canary that Flagger has promoted.
    case 'kubernetes:flagger.app/v1beta1:Canary':
      return args.id ? { ...inputs, status: { phase: MOCK_CANARY_PHASE } } : inputs;
    default:
      return inputs;
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getRetainondelete(): boolean | undefined;
  getObject(): Parameters<typeof rpc.deserializeProperties>[0] | undefined;
}

type Callback = (error: unknown, response?: { getUrn(): string }) => void;

interface MonitorLike {
  registerResource(request: RegisterRequest, callback: Callback): void;
}

/** True for a serialized Pulumi secret (`{ <sig>: <secret sig>, value }`). */
function isSerializedSecret(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === 'object' && (value as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
}

/** A deserialized value with every secret replaced by its plain value. */
function unwrapSecrets(value: unknown): unknown {
  if (isSerializedSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrapSecrets(item)]));
  }
  return value;
}

/** Top-level property names whose serialized value holds a secret anywhere inside. */
function secretProperties(serialized: Record<string, unknown>): Set<string> {
  const holdsSecret = (value: unknown): boolean =>
    isSerializedSecret(value) ||
    (value !== null && typeof value === 'object' && Object.values(value as Record<string, unknown>).some(holdsSecret));
  return new Set(Object.keys(serialized).filter((key) => holdsSecret(serialized[key])));
}

/**
 * Installs the mocks for one program run and returns the registrations recorded so far (call after {@link settle}).
 * @param stack stack name the program sees (`pulumi.getStack()`).
 * @param preview run as `pulumi preview` (unknown outputs stay unknown).
 */
export function installMocks(stack = 'dev', preview = false): () => Registration[] {
  const registrations: Registration[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        return { id: args.id ?? `${args.name}-id`, state: mockState(args) };
      },
      call: (args) => args.inputs,
    },
    'mesh-platform',
    stack,
    preview,
  );
  const monitor = settings.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    register(request, (error, response) => {
      if (response) {
        const object = request.getObject();
        registrations.push({
          type: request.getType(),
          name: request.getName(),
          urn: response.getUrn(),
          custom: request.getCustom(),
          inputs: object ? (unwrapSecrets(rpc.deserializeProperties(object)) as Record<string, unknown>) : {},
          secretInputs: secretProperties((object?.toJavaScript() ?? {}) as Record<string, unknown>),
          parent: request.getParent(),
          provider: request.getProvider(),
          dependencies: request.getDependenciesList(),
          ignoreChanges: request.getIgnorechangesList(),
          retainOnDelete: request.getRetainondelete() === true,
        });
      }
      callback(error, response);
    });
  };
  return () => registrations;
}

/** Waits until every registration the program started has been answered. */
export async function settle(): Promise<void> {
  // `waitForRPCs` is exported by runtime/settings but left out of its typings.
  await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** Resolves an output's value under the mocks (undefined when unknown, as in a preview). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
