/**
 * The boundary: description + environment overrides → validated, complete, frozen PlatformSpec.
 * Constructs trust what comes out of here and do not check it again.
 */
import type { z } from 'zod';
import { PlatformConfigError, type ConfigIssue } from './errors';
import { secretName } from './names/workloads';
import { defaultGatewayName } from './names/mesh';
import { applyOverrides } from './overrides';
import { resolveDatabase, resolvePostgresServer } from './resolve-database';
import { checkModeRules } from './modes';
import { checkObservabilityRules, resolveSlo } from './observability-rules';
import { checkDeliveryRules } from './delivery-rules';
import { checkPlatformRules, type WeightOrigin } from './rules';
import { platformSchema } from './schema';
import { schemaIssue } from './schema-issues';
import type { EnvironmentName, EnvironmentOverrides, PlatformDescription, PlatformSpec, ServiceSpec } from './types';

/** Image reference (registry/name:tag or @digest) per service name. */
export type ImageReferences = Readonly<Record<string, string>>;

/** Inputs of `resolvePlatformSpec`. */
export interface ResolveOptions {
  /** The shared platform description. */
  readonly description: PlatformDescription;
  /** Environment to resolve for. */
  readonly environment: EnvironmentName;
  /** That environment's overrides. @default {} */
  readonly overrides?: EnvironmentOverrides;
  /**
   * Image reference per service, used for versions that name no image of their own; or a function of the environment's
   * registry that returns them (e.g. `imageReferences` from `src/images`).
   * @default {}
   */
  readonly images?: ImageReferences | ((registry: string) => ImageReferences);
}

type ParsedPlatform = z.output<typeof platformSchema>;

function resolveService(platform: ParsedPlatform, service: ParsedPlatform['services'][number], images: Readonly<Record<string, string>>, at: string, issues: ConfigIssue[]): ServiceSpec {
  const { versions, secrets, secretValues, database, slo, ...rest } = service;
  const weights = service.canary.weights ?? { [versions[0].name]: 100 };
  return {
    ...rest,
    versions: versions.map((version) => {
      const image = version.image ?? images[service.name];
      if (!image) {
        issues.push({ path: `${at}.versions.${version.name}.image`, message: 'no image is known for this version', fix: `set its image, or pass an image reference for "${service.name}"` });
      }
      return { name: version.name, image: image ?? '', weight: weights[version.name] ?? 0, env: version.env };
    }),
    secret: secrets.length === 0 ? undefined : { name: secretName(service.name), keys: secrets, values: secretValues },
    database: resolveDatabase(service.name, database),
    slo: resolveSlo(platform.slo, slo),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validates the description for one environment and returns its complete spec; throws PlatformConfigError listing every issue. */
export function resolvePlatformSpec(options: ResolveOptions): PlatformSpec {
  const { description, environment, overrides = {}, images = {} } = options;
  const { merged, issues } = applyOverrides(description, overrides);
  const input = { ...merged, environment };
  const parsed = platformSchema.safeParse(input);
  if (!parsed.success) {
    throw new PlatformConfigError(environment, [...issues, ...parsed.error.issues.map((issue) => schemaIssue(issue, input, platformSchema))]);
  }
  const origin: WeightOrigin = (service, version) =>
    overrides.services?.[service]?.canary?.weights?.[version] !== undefined ? environment : 'inherited from the description';
  issues.push(...checkPlatformRules(parsed.data, { origin }), ...checkModeRules(parsed.data, input), ...checkObservabilityRules(parsed.data), ...checkDeliveryRules(parsed.data));
  const platform = parsed.data;
  const references = typeof images === 'function' ? images(platform.registry) : images;
  const services = platform.services.map((service) => resolveService(platform, service, references, `services.${service.name}`, issues));
  if (issues.length > 0) throw new PlatformConfigError(environment, issues);
  const namespace = platform.namespace ?? platform.name;
  return deepFreeze({
    ...platform,
    namespace,
    postgres: resolvePostgresServer({ name: platform.name, namespace }, platform.postgres),
    gateway: { ...platform.gateway, name: platform.gateway.name ?? defaultGatewayName(platform) },
    services,
  });
}
