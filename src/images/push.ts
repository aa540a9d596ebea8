import { docker } from './docker';

/**
 * Pushes a built image and returns its reference pinned to the digest the registry stored:
 * `localhost:5000/shop/order-service:sha256-6d2d…` → `localhost:5000/shop/order-service:sha256-6d2d…@sha256:<digest>`.
 * That is what stack config `images` takes, so CI can build and push once and deploy the same bytes many times.
 * @throws DockerError when the push fails; Error when the engine records no digest for the reference's repository.
 */
export async function pushImage(reference: string): Promise<string> {
  await docker(['push', '--quiet', reference]);
  const repoDigests = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', reference])) as string[] | null;
  const repository = reference.slice(0, reference.lastIndexOf(':'));
  const digest = (repoDigests ?? []).find((entry) => entry.startsWith(`${repository}@sha256:`))?.split('@')[1];
  if (!digest) throw new Error(`pushed ${reference}, but the engine records no digest for ${repository} (RepoDigests: ${JSON.stringify(repoDigests)})`);
  return `${reference}@${digest}`;
}
