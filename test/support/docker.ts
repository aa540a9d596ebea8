import { dockerAvailable, DOCKER_UNAVAILABLE } from '../../src/images/docker';
import { describeRequiring } from './requirements';

/** `describe` for tests that need a Docker engine: skipped, saying why, when none is reachable; a failure under CI=true. */
export const describeWithDocker = describeRequiring(dockerAvailable() ? undefined : DOCKER_UNAVAILABLE);
