/**
 * Public types of the platform description (what users write) and of the resolved spec (what constructs get).
 */
import type { z } from 'zod';
import type { platformSchema, serviceSchema } from './schema';
import type { DatabaseSpec, PostgresServerSpec } from './database-types';
import type { SloSpec } from './observability-schema';

export { ENVIRONMENTS, isEnvironmentName, type EnvironmentName } from './environments';

/** One service as users describe it; see `serviceSchema` for every field's meaning and default. */
export type ServiceDescription = z.input<typeof serviceSchema>;

/** The platform as users describe it, shared by all environments. */
export type PlatformDescription = Omit<z.input<typeof platformSchema>, 'environment'>;

/** Recursively optional; arrays are replaced whole, never merged; `null` removes what the description set. */
export type Overrides<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: Overrides<T[K]> | null }
    : T;

/** What an environment may change: any platform field, and any service field by service name. */
export interface EnvironmentOverrides extends Overrides<Omit<PlatformDescription, 'services'>> {
  /** Per-service overrides, keyed by service name. @default {} */
  readonly services?: Readonly<Record<string, Overrides<Omit<ServiceDescription, 'name'>>>>;
}

type ParsedPlatform = z.output<typeof platformSchema>;
type ParsedService = z.output<typeof serviceSchema>;

/** One deployed version, resolved: image and traffic weight known. */
export interface VersionSpec {
  /** Version name (pod label `version`, DestinationRule subset). */
  readonly name: string;
  /** Image reference, pinned by tag or digest. */
  readonly image: string;
  /** Share of default traffic, percent. */
  readonly weight: number;
  /** Extra environment variables of this version. */
  readonly env: Readonly<Record<string, string>>;
}

/** The Secret a service's pods mount, if it has secret settings. */
export interface SecretSpec {
  /** Kubernetes Secret name. */
  readonly name: string;
  /** Data keys the pods expect, and the variable each is exposed as (`<env>_FILE`). */
  readonly keys: readonly { readonly key: string; readonly env: string }[];
  /** Values to write into the output (local environments only); otherwise the Secret is created outside the chart. */
  readonly values?: Readonly<Record<string, string>>;
}

/** One service, resolved for an environment. */
export interface ServiceSpec extends Readonly<Omit<ParsedService, 'versions' | 'secrets' | 'secretValues' | 'database' | 'slo'>> {
  readonly versions: readonly VersionSpec[];
  /** The service's SLOs: its own `slo` over the environment's defaults. */
  readonly slo: SloSpec;
  readonly secret?: SecretSpec;
  /** The service's own database, when it declares one. */
  readonly database?: DatabaseSpec;
}

/** The whole platform for one environment: complete, validated, frozen. */
export interface PlatformSpec extends Readonly<Omit<ParsedPlatform, 'services' | 'namespace' | 'gateway' | 'postgres'>> {
  readonly namespace: string;
  /** The PostgreSQL server of the services' databases, when the environment configures one. */
  readonly postgres?: PostgresServerSpec;
  readonly gateway: Readonly<ParsedPlatform['gateway']> & { readonly name: string };
  readonly services: readonly ServiceSpec[];
}
