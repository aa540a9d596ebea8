import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { pinnedReference, registryHost } from './image-reference';

/** Credentials for `docker push`; without them the ambient `docker login` of the machine is used. */
export interface RegistryCredentials {
  /** Registry user name (config `registryUsername`); requires the secret `registryPassword`. */
  readonly username: string;
  /** Registry password or token (secret config `registryPassword`); stays secret in state. */
  readonly password: pulumi.Output<string>;
}

/** Target platform of every image: the nodes the platform runs on. */
export const IMAGE_PLATFORM = 'linux/amd64';

/** How one service image is built: what `docker build` gets. */
export interface ServiceImageBuild {
  /** Service name, e.g. `order-service`. */
  readonly service: string;
  /** Content-addressed reference to push, `<registry>/<service>:<hash>` (from `imageReferences(registry)`). */
  readonly reference: string;
  /** Build context directory (absolute). */
  readonly context: string;
  /** Dockerfile path (absolute or relative to the context). */
  readonly dockerfile: string;
  /** Build args: the service to bundle and the pinned base images. */
  readonly args: Readonly<Record<string, string>>;
  /** Multi-stage target. @default the Dockerfile's last stage */
  readonly target?: string;
}

/** Props of {@link ServiceImages}. */
export interface ServiceImagesArgs {
  /** One build per service. */
  readonly builds: readonly ServiceImageBuild[];
  /** Push credentials. @default the ambient `docker login` */
  readonly credentials?: RegistryCredentials;
  /** Target platform. @default {@link IMAGE_PLATFORM} */
  readonly platform?: string;
}

/**
 * Builds every service image with BuildKit for one platform and pushes it under its content-addressed tag.
 * `references` are the pushed references pinned to the registry digest (`<repo>:<tag>@sha256:…`): what the
 * chart puts into the Deployments, so a rollout runs exactly the bytes that were pushed.
 */
export class ServiceImages extends pulumi.ComponentResource {
  /** Per service: the pushed reference with its digest. */
  public readonly references: Readonly<Record<string, pulumi.Output<string>>>;
  /** Per service: the docker image resource. */
  public readonly images: Readonly<Record<string, docker.Image>>;

  constructor(name: string, args: ServiceImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:ServiceImages', name, {}, opts);
    const images: Record<string, docker.Image> = {};
    const references: Record<string, pulumi.Output<string>> = {};
    for (const build of args.builds) {
      const image = new docker.Image(
        build.service,
        {
          imageName: build.reference,
          build: {
            context: build.context,
            dockerfile: build.dockerfile,
            platform: args.platform ?? IMAGE_PLATFORM,
            args: { ...build.args },
            target: build.target,
            builderVersion: 'BuilderBuildKit',
          },
          registry: args.credentials && {
            server: registryHost(build.reference),
            username: args.credentials.username,
            password: args.credentials.password,
          },
          skipPush: false,
        },
        { parent: this },
      );
      images[build.service] = image;
      references[build.service] = image.repoDigest.apply((repoDigest) => pinnedReference(build.reference, repoDigest));
    }
    this.images = images;
    this.references = references;
    this.registerOutputs({ references });
  }
}
