/**
 * The description's database fields: what a service declares (`database`) and, per environment, where its PostgreSQL
 * server is (`postgres`: in the cluster for development, or an external server). Docs: docs/database.md.
 */
import { z } from 'zod';
import { QUANTITY_PATTERN } from './formats';
import { isDigestPinned } from './image-grammar';

/** PostgreSQL identifier the platform derives names from (database and role): lowercase, unquoted-safe. */
export const PG_IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** A DNS name (one or more labels), as a PostgreSQL server's host name. */
const HOST_NAME_PATTERN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** An IPv4 CIDR such as `10.20.0.0/24`, or an IPv6 one such as `fd00:10::/64`. */
const CIDR_PATTERN = /^((\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-f:]+\/\d{1,3})$/;

/**
 * The official image (Debian bookworm), pinned to the digest published for `postgres:17.2-bookworm`. Nothing here can
 * reach a registry: check it with `docker buildx imagetools inspect` before relying on it, or mirror it and set
 * `postgres.image`.
 */
export const DEFAULT_POSTGRES_IMAGE =
  'docker.io/library/postgres:17.2-bookworm@sha256:3267c505060a0052e5aa6e5175a7b41ab6b04da2f8c4540fc6e98a37210aa2d3';

/** UID and GID of the `postgres` user in the official Debian-based image. */
export const DEFAULT_POSTGRES_UID = 999;

const quantity = z.string().regex(QUANTITY_PATTERN, 'must be a Kubernetes quantity such as "250m", "1", "128Mi" or "1Gi"');

/** A service's own database. */
export const serviceDatabaseSchema = z.strictObject({
  /** Database engine; PostgreSQL is the only one. @default "postgres" */
  engine: z.literal('postgres').default('postgres'),
  /**
   * Database name; on the in-cluster server also the name of the service's own role. On an external server, the path
   * of the configured URL must name it.
   * @default the service name with "-" replaced by "_" (e.g. "order_service")
   */
  name: z.string().regex(PG_IDENTIFIER_PATTERN, 'must be a lowercase PostgreSQL identifier (a-z, 0-9, "_"; at most 63 characters)').optional(),
});

const inClusterServer = z.strictObject({
  /** A PostgreSQL StatefulSet in the services' namespace: one pod, one volume, no replication or backups (development). */
  location: z.literal('in-cluster'),
  /** PostgreSQL image, pinned by digest (a tag may stand before it), as everything the Pulumi program runs; it must be the official image's layout (entrypoint, `pg_isready`, uid). @default {@link DEFAULT_POSTGRES_IMAGE} */
  image: z.string().refine(isDigestPinned, 'must be pinned by digest: registry/name[:tag]@sha256:<digest>').default(DEFAULT_POSTGRES_IMAGE),
  /** UID and GID the server runs as (the image's `postgres` user). @default 999 */
  runAsUser: z.number().int().min(1).max(2147483647).default(DEFAULT_POSTGRES_UID),
  /** Size of the data volume (PersistentVolumeClaim). @default "1Gi" */
  storage: quantity.default('1Gi'),
  /** StorageClass of the data volume. @default the cluster's default StorageClass */
  storageClassName: z.string().regex(HOST_NAME_PATTERN, 'must be a StorageClass name (a lowercase DNS subdomain)').optional(),
  /** Container resources of the server. */
  resources: z
    .strictObject({
      /** @default "100m" */ cpuRequest: quantity.default('100m'),
      /** @default "1" */ cpuLimit: quantity.default('1'),
      /** @default "256Mi" */ memoryRequest: quantity.default('256Mi'),
      /** @default "512Mi" */ memoryLimit: quantity.default('512Mi'),
    })
    .prefault({}),
});

const externalServer = z.strictObject({
  /** A server outside the cluster (a managed database); each service's URL comes from Pulumi secret config. */
  location: z.literal('external'),
  /** Host name of the server, as the services' URLs name it. */
  host: z.string().regex(HOST_NAME_PATTERN, 'must be a DNS name such as "postgres.example.com"'),
  /** Port of the server. @default 5432 */
  port: z.number().int().min(1).max(65535).default(5432),
  /**
   * Address ranges of the server. NetworkPolicies match addresses, not names, so with `networkPolicies` they are
   * required; the mesh's ServiceEntry lists them as its addresses.
   * @default none
   */
  cidrs: z.array(z.string().regex(CIDR_PATTERN, 'must be a CIDR such as "10.20.0.0/24"')).min(1).optional(),
});

/** Where the services' databases live in one environment. @default none (required once a service declares a database) */
export const postgresServerSchema = z.discriminatedUnion('location', [inClusterServer, externalServer]);
