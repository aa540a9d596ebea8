/**
 * GET requests to a cluster's API with a kubeconfig's credentials, for the deploy's preflight checks (the Kubernetes
 * provider does the deploying). Covers the credentials kubectl reads from a kubeconfig: the server's CA (inline or a
 * file) or `insecure-skip-tls-verify`, a client certificate and key (inline or files), a bearer token (inline or a
 * file) and an exec credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`, kubelogin). Anything else (the
 * removed `auth-provider`, basic auth) is an {@link UnsupportedCredentials} error, on which a check is skipped.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A kubeconfig `clusters[].cluster`. */
export interface KubeCluster {
  readonly server?: string;
  readonly 'certificate-authority-data'?: string;
  readonly 'certificate-authority'?: string;
  readonly 'insecure-skip-tls-verify'?: boolean;
  readonly 'tls-server-name'?: string;
}

/** A kubeconfig `users[].user`. */
export interface KubeUser {
  readonly 'client-certificate-data'?: string;
  readonly 'client-certificate'?: string;
  readonly 'client-key-data'?: string;
  readonly 'client-key'?: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly exec?: { readonly command: string; readonly args?: string[]; readonly env?: { name: string; value: string }[]; readonly apiVersion?: string };
  readonly 'auth-provider'?: unknown;
  readonly username?: string;
}

/** The kubeconfig's user authenticates in a way these requests do not implement. */
export class UnsupportedCredentials extends Error {}

/** Longest wait for an answer (or an exec plugin), like the cluster check's connect timeout. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A kubeconfig `*-data` field (base64) or the file its sibling names. */
function pem(data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  return file ? readFileSync(file) : undefined;
}

/** Runs the user's exec plugin (client.authentication.k8s.io ExecCredential) and returns what it issued. */
function execCredential(exec: NonNullable<KubeUser['exec']>): { token?: string; cert?: string; key?: string } {
  const output = execFileSync(exec.command, exec.args ?? [], {
    encoding: 'utf8',
    timeout: REQUEST_TIMEOUT_MS,
    env: {
      ...process.env,
      ...Object.fromEntries((exec.env ?? []).map(({ name, value }) => [name, value])),
      KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false } }),
    },
  });
  const status = (JSON.parse(output) as { status?: { token?: string; clientCertificateData?: string; clientKeyData?: string } }).status ?? {};
  return { token: status.token, cert: status.clientCertificateData, key: status.clientKeyData };
}

/** The TLS client material and headers that authenticate `user`. */
function credentials(user: KubeUser): { cert?: Buffer | string; key?: Buffer | string; headers: Record<string, string> } {
  if (user['auth-provider'] || user.username) throw new UnsupportedCredentials('the kubeconfig user authenticates with an auth-provider or a password');
  const issued = user.exec ? execCredential(user.exec) : {};
  const token = issued.token ?? user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
  return {
    cert: issued.cert ?? pem(user['client-certificate-data'], user['client-certificate']),
    key: issued.key ?? pem(user['client-key-data'], user['client-key']),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  };
}

/**
 * GETs `path` (e.g. `/apis/gateway.networking.k8s.io/v1`) from `cluster` as `user`.
 * @returns the status and the parsed JSON body (undefined when not JSON)
 * @throws UnsupportedCredentials, or the transport's error
 */
export function kubeGet(cluster: KubeCluster & { readonly server: string }, user: KubeUser, path: string): Promise<{ status: number; body: unknown }> {
  // A server may carry a path prefix (a proxy's), which the API path extends.
  const url = new URL(`${cluster.server.replace(/\/$/, '')}${path}`);
  const { cert, key, headers } = credentials(user);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const client = request(url, {
      headers: { accept: 'application/json', ...headers },
      timeout: REQUEST_TIMEOUT_MS,
      ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority']),
      rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
      servername: cluster['tls-server-name'],
      cert,
      key,
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on('error', reject);
    });
    client.on('timeout', () => client.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    client.on('error', reject);
    client.end();
  });
}
