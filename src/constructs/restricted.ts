/**
 * The Pod Security "restricted" settings every container of the platform runs with, and resources as users write
 * them: one place for the services' pods (pod-template.ts) and the in-cluster database's (postgres-server.ts).
 */
import { k8s } from 'cdk8s-plus-27';

const SECCOMP = { type: 'RuntimeDefault' };

/** Pod-level: non-root with a fixed uid and gid (also the volumes' group), seccomp RuntimeDefault. */
export function restrictedPodSecurityContext(uid: number): k8s.PodSecurityContext {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: SECCOMP };
}

/** Container-level: the same identity, read-only root filesystem, no privilege escalation, no capabilities. */
export function restrictedContainerSecurityContext(uid: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: SECCOMP,
  };
}

/** Requests and limits from the description's quantities (`250m`, `128Mi`). */
export function containerResources(resources: { cpuRequest: string; cpuLimit: string; memoryRequest: string; memoryLimit: string }): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(resources.cpuRequest), memory: k8s.Quantity.fromString(resources.memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(resources.cpuLimit), memory: k8s.Quantity.fromString(resources.memoryLimit) },
  };
}
