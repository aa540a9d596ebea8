/**
 * The local environment's trace backend (`npm run local -- --tracing`): Jaeger, built by the toolchain from its Go
 * module, as one more container on the Compose network. It answers under the host name the environment's
 * `observability.tracing.backend` names, on the port its protocol uses there, so the services export their spans with
 * the manifests' own `OTEL_*` variables, unchanged; its UI and query API are published on loopback.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../images/docker';
import { REPOSITORY_ROOT } from '../images/services';
import { backendPort, type TraceBackend } from '../observability/tracing';
import type { PlatformSpec } from '../description/types';
import { ensureToolchain } from '../toolchain/index';
import { RECIPES } from '../toolchain/recipes';
import { TOOLCHAIN } from '../versions';
import { LocalSetupError } from './compose-command';
import type { ComposeService } from './compose-types';
import { httpCheckScript, IMAGE_NODE } from './healthcheck';
import { JAEGER_DEFAULT_PORTS, jaegerConfig, type JaegerListeners } from './jaeger-config';

/** Compose service (and container) name of the trace backend. */
export const TRACE_BACKEND_NAME = 'jaeger';
/** The Dockerfile of its image: the toolchain's binary on the services' runtime base. */
export const TRACE_BACKEND_DOCKERFILE = 'images/jaeger.Dockerfile';
/** The query API's path that answers once Jaeger is up (its healthcheck). */
const READY_PATH = '/api/services';

/** The trace backend's Compose service and what the summary shows of it. */
export interface TraceBackendContainer {
  readonly name: string;
  readonly service: ComposeService;
  /** Container port of the UI and query API (published on 127.0.0.1, Docker picks the host port). */
  readonly queryPort: number;
  /** The Jaeger release it runs, e.g. `v1.75.0`. */
  readonly release: string;
  /** Jaeger's configuration (YAML), built into the image. */
  readonly config: string;
}

/**
 * The backend an environment configures. @throws LocalSetupError when it configures none (then the services export
 * nothing, and there is nothing to receive)
 */
function configuredTraceBackend(spec: PlatformSpec): TraceBackend {
  const { backend } = spec.observability.tracing;
  if (!backend) {
    throw new LocalSetupError(
      `--tracing: ${spec.environment} configures no trace backend, so its services export no spans; set observability.tracing.backend in its environment, or leave out --tracing`,
    );
  }
  return backend;
}

/** Where Jaeger listens in the container: everywhere, its OTLP receiver of the backend's protocol on the backend's port. */
function listeners(backend: TraceBackend): JaegerListeners {
  const port = backendPort(backend);
  return { host: '0.0.0.0', ...JAEGER_DEFAULT_PORTS, ...(backend.protocol === 'grpc' ? { otlpGrpc: port } : { otlpHttp: port }) };
}

/** The image's content-addressed name: the Jaeger release and a hash of the Dockerfile and the configuration. */
function imageName(config: string): string {
  const recipe = createHash('sha256').update(readFileSync(join(REPOSITORY_ROOT, TRACE_BACKEND_DOCKERFILE))).update(config).digest('hex').slice(0, 12);
  return `mesh-platform/jaeger-local:${TOOLCHAIN.jaeger.release.replace(/^v/, '')}-${recipe}`;
}

/** The trace backend's Compose service for an environment that configures one. @throws LocalSetupError otherwise */
export function traceBackendContainer(spec: PlatformSpec): TraceBackendContainer {
  const backend = configuredTraceBackend(spec);
  const ports = listeners(backend);
  const config = jaegerConfig(ports);
  return {
    name: TRACE_BACKEND_NAME,
    queryPort: ports.queryHttp,
    release: TOOLCHAIN.jaeger.release,
    config,
    service: {
      image: imageName(config),
      // As restricted as the services' containers: the image's nonroot user, read-only, no capabilities.
      user: '65532:65532',
      read_only: true,
      tmpfs: ['/tmp'],
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      mem_limit: '512m',
      cpus: 1,
      stop_grace_period: '10s',
      labels: { app: TRACE_BACKEND_NAME, 'mesh-platform.environment': spec.environment },
      environment: {},
      ports: [`127.0.0.1::${ports.queryHttp}`],
      networks: { [spec.namespace]: { aliases: [backend.host] } },
      healthcheck: { test: ['CMD', IMAGE_NODE, '-e', httpCheckScript(ports.queryHttp, READY_PATH, 2000)], interval: '2s', timeout: '3s', retries: 30, start_period: '0s' },
    },
  };
}

/**
 * Builds the trace backend's image unless it is present: the toolchain's Jaeger (built first when missing, which
 * takes minutes once) with its configuration, on the runtime base the services' images use.
 */
export async function ensureTraceBackendImage(container: TraceBackendContainer, log: (line: string) => void): Promise<void> {
  const image = container.service.image;
  if (await docker(['image', 'inspect', '--format', '{{.Id}}', image]).then(() => true, () => false)) return;
  const { bin } = await ensureToolchain({ recipes: RECIPES.filter((recipe) => recipe.name === 'jaeger'), required: ['jaeger'], progress: log });
  const context = mkdtempSync(join(tmpdir(), 'mesh-jaeger-image-'));
  try {
    copyFileSync(join(bin, 'jaeger'), join(context, 'jaeger'));
    writeFileSync(join(context, 'config.yaml'), container.config);
    log(`local: building ${image}`);
    await docker(['build', '--file', join(REPOSITORY_ROOT, TRACE_BACKEND_DOCKERFILE), '--tag', image, context]);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
