/**
 * Pulumi program entry (Pulumi.yaml `main`): reads the stack config once, deploys, and exports the stack outputs
 * (`pulumi stack output`). All logic lives in ./program and the components.
 */
import { readDeployConfig } from './config';
import { deployPlatform } from './program';

const outputs = deployPlatform(readDeployConfig());

/** Namespace of the services. */
export const namespace = outputs.namespace;
/** Hosts the ingress serves, and the gateway's address when this stack installed Istio. */
export const gateway = outputs.gateway;
/** Deployed image per service, pinned to its digest. */
export const images = outputs.images;
/** Traffic weight per service and version. */
export const canary = outputs.canary;
