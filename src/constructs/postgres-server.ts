/**
 * The in-cluster PostgreSQL (development): a one-pod StatefulSet of the official image with its data on a
 * PersistentVolumeClaim, a headless Service, its own ServiceAccount and the init script that gives every service that
 * declares a database its own role and database. The pod meets Pod Security "restricted": a fixed non-root uid,
 * seccomp RuntimeDefault, no capabilities, a read-only root filesystem with emptyDirs where PostgreSQL writes besides
 * its data (`/var/run/postgresql`, `/tmp`). Its passwords come from the Secret `<platform>-postgres`, which the Pulumi
 * program creates; nothing secret is synthesized.
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { postgresInitName } from '../description/names/database';
import { serviceLabels, serviceSelector } from '../description/names/labels';
import type { PlatformProps } from './platform-props';
import { EXTERNAL_SECRETS } from '../description/names/validator';
import { databaseClients } from './database-clients';
import { postgresInitScript, ROLE_PASSWORDS_DIR_ENV } from './postgres-init-script';
import { containerResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './restricted';

/** Component label of the server's objects. */
export const POSTGRES_COMPONENT = 'database';
/** Keys of the server's Secret: the superuser's password; every other key is a role's password, named after it. */
export const SUPERUSER_PASSWORD_KEY = 'postgres-password';

const DATA_MOUNT = '/var/lib/postgresql/data';
/** A subdirectory of the volume: a fresh volume's root may hold `lost+found`, and initdb needs an empty directory. */
const PGDATA = `${DATA_MOUNT}/pgdata`;
const SECRETS_MOUNT = '/var/run/secrets/postgres';
const INIT_SCRIPT = '10-databases.sh';
const PORT_NAME = 'tcp-postgres';

/**
 * StatefulSet, headless Service, ServiceAccount and init-script ConfigMap of the in-cluster server; nothing unless the
 * environment's `postgres` is in the cluster and a service declares a database.
 */
export class PostgresServer extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const use = databaseClients(platform);
    if (use?.server.location !== 'in-cluster') return;
    const { server } = use;
    const databases = use.clients.map((client) => client.database!);
    const { name } = server;
    const labels = serviceLabels(platform, name, POSTGRES_COMPONENT);
    const metadata = (objectName: string) => ({ name: objectName, namespace: platform.namespace, labels });

    new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: metadata(name), automountToken: false });
    new kplus.ConfigMap(this, 'Init', { metadata: metadata(postgresInitName(platform.name)), data: { [INIT_SCRIPT]: postgresInitScript(databases) } });

    new k8s.KubeService(this, 'Service', {
      metadata: metadata(name),
      spec: {
        // Headless: the StatefulSet's governing Service; its name resolves to the one pod.
        clusterIp: 'None',
        selector: serviceSelector(name),
        ports: [{ name: PORT_NAME, port: server.port, targetPort: k8s.IntOrString.fromString(PORT_NAME), protocol: 'TCP', appProtocol: 'tcp' }],
      },
    });

    const ready = ['pg_isready', '--host=127.0.0.1', `--port=${server.port}`, '--timeout=2'];
    new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { ...metadata(name), annotations: { [EXTERNAL_SECRETS]: name } },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: serviceSelector(name) },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 60,
            securityContext: { ...restrictedPodSecurityContext(server.runAsUser), fsGroupChangePolicy: 'OnRootMismatch' },
            containers: [{
              name: 'postgres',
              image: server.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: PORT_NAME, containerPort: server.port, protocol: 'TCP' }],
              env: [
                { name: 'PGDATA', value: PGDATA },
                { name: 'PGPORT', value: String(server.port) },
                { name: 'POSTGRES_PASSWORD_FILE', value: `${SECRETS_MOUNT}/${SUPERUSER_PASSWORD_KEY}` },
                { name: ROLE_PASSWORDS_DIR_ENV, value: SECRETS_MOUNT },
              ],
              resources: containerResources(server.resources),
              // Over TCP, not the socket: during initialisation the image's temporary server listens on the socket only.
              startupProbe: { exec: { command: ready }, periodSeconds: 5, failureThreshold: 60, timeoutSeconds: 3 },
              readinessProbe: { exec: { command: ready }, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 3 },
              livenessProbe: { exec: { command: ready }, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 3 },
              lifecycle: {
                // The kubelet's SIGTERM is PostgreSQL's "smart" shutdown, which waits for the services' pooled
                // connections to close; a fast shutdown ends them and checkpoints within the grace period.
                preStop: { exec: { command: ['pg_ctl', 'stop', '--mode=fast', '--wait', `--pgdata=${PGDATA}`] } },
              },
              securityContext: restrictedContainerSecurityContext(server.runAsUser),
              volumeMounts: [
                { name: 'data', mountPath: DATA_MOUNT },
                { name: 'run', mountPath: '/var/run/postgresql' },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'init', mountPath: '/docker-entrypoint-initdb.d', readOnly: true },
                { name: 'secrets', mountPath: SECRETS_MOUNT, readOnly: true },
              ],
            }],
            volumes: [
              { name: 'run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
              { name: 'init', configMap: { name: postgresInitName(platform.name), defaultMode: 0o555 } },
              { name: 'secrets', secret: { secretName: name, defaultMode: 0o440 } },
            ],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(server.storageClassName ? { storageClassName: server.storageClassName } : {}),
            resources: { requests: { storage: k8s.Quantity.fromString(server.storage) } },
          },
        }],
      },
    });
  }
}
