import type { Context } from '../context';
import { containersOf, podTemplateOf, type PodTemplate } from '../inventory';
import { at, record, records, str, strings } from '../shapes';

/**
 * The Pod Security Standards, `restricted` profile (which includes `baseline`), as of Kubernetes 1.27:
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ . Windows host-process pods are out of scope.
 */
export function checkPodSecurity(context: Context): void {
  for (const entry of context.inventory.entries) {
    const template = podTemplateOf(entry);
    if (!template) continue;
    hostNamespaces(context, template);
    podLevel(context, template);
    containers(context, template);
  }
}

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SELINUX_TYPES = ['container_t', 'container_init_t', 'container_kvm_t'];
const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost'];
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function hostNamespaces(context: Context, { entry, spec, specPath }: PodTemplate): void {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) context.report(entry, 'pss-host-namespaces', at(specPath, field), `${field} must not be true`);
  }
}

function podLevel(context: Context, template: PodTemplate): void {
  const { entry, spec, specPath } = template;
  const security = record(spec.securityContext);
  const securityPath = at(specPath, 'securityContext');
  records(spec.volumes).forEach((volume, i) => {
    const type = Object.keys(volume).find((key) => key !== 'name') ?? '(none)';
    if (type === 'hostPath') context.report(entry, 'pss-host-path', at(specPath, 'volumes', i, 'hostPath'), `volume "${str(volume.name) ?? i}" mounts a host path`);
    else if (!RESTRICTED_VOLUMES.includes(type)) {
      context.report(entry, 'pss-volume-types', at(specPath, 'volumes', i), `volume "${str(volume.name) ?? i}" has type ${type}, not allowed by the restricted profile`);
    }
  });
  records(security.sysctls).forEach((sysctl, i) => {
    const name = str(sysctl.name) ?? '';
    if (!SAFE_SYSCTLS.has(name)) context.report(entry, 'pss-sysctls', at(securityPath, 'sysctls', i, 'name'), `sysctl "${name}" is not a safe sysctl`);
  });
  for (const [key, value] of Object.entries(template.annotations)) {
    if (key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/')) {
      const annotationsPath = entry.kind === 'Pod' ? 'metadata.annotations' : at(specPath.replace(/\.spec$/, ''), 'metadata', 'annotations');
      context.report(entry, 'pss-apparmor', at(annotationsPath, key), `AppArmor profile "${value}" is not allowed`);
    }
  }
  seLinux(context, template, security, securityPath);
  const podSeccomp = str(record(security.seccompProfile).type);
  const podNonRoot = security.runAsNonRoot === true;
  if (security.runAsNonRoot === false) context.report(entry, 'pss-run-as-non-root', at(securityPath, 'runAsNonRoot'), 'runAsNonRoot must not be false');
  if (security.runAsUser === 0) context.report(entry, 'pss-run-as-user', at(securityPath, 'runAsUser'), 'runAsUser must not be 0 (root)');
  if (podSeccomp !== undefined && !SECCOMP_TYPES.includes(podSeccomp)) {
    context.report(entry, 'pss-seccomp', at(securityPath, 'seccompProfile', 'type'), `seccompProfile type ${podSeccomp} is not allowed`);
  }
  // Pod-level defaults that every container must otherwise set itself.
  for (const { container, path } of containersOf(template)) {
    const own = record(container.securityContext);
    const seccomp = str(record(own.seccompProfile).type);
    if (seccomp === undefined && podSeccomp === undefined) {
      context.report(entry, 'pss-seccomp', at(path, 'securityContext', 'seccompProfile'),
        `container "${str(container.name) ?? ''}" has no seccompProfile and the pod sets none`);
    }
    if (own.runAsNonRoot === undefined && !podNonRoot) {
      context.report(entry, 'pss-run-as-non-root', at(path, 'securityContext', 'runAsNonRoot'),
        `container "${str(container.name) ?? ''}" does not set runAsNonRoot: true and the pod does not either`);
    }
  }
}

function seLinux(context: Context, { entry }: PodTemplate, security: Record<string, unknown>, securityPath: string): void {
  const options = record(security.seLinuxOptions);
  const type = str(options.type);
  if (type !== undefined && type !== '' && !SELINUX_TYPES.includes(type)) {
    context.report(entry, 'pss-selinux', at(securityPath, 'seLinuxOptions', 'type'), `SELinux type "${type}" is not allowed`);
  }
  for (const field of ['user', 'role']) {
    if (str(options[field])) context.report(entry, 'pss-selinux', at(securityPath, 'seLinuxOptions', field), `seLinuxOptions.${field} must not be set`);
  }
}

function containers(context: Context, template: PodTemplate): void {
  const { entry } = template;
  for (const { container, path } of containersOf(template)) {
    const name = str(container.name) ?? '';
    const security = record(container.securityContext);
    const securityPath = at(path, 'securityContext');
    if (security.privileged === true) context.report(entry, 'pss-privileged', at(securityPath, 'privileged'), `container "${name}" is privileged`);
    if (security.allowPrivilegeEscalation !== false) {
      context.report(entry, 'pss-privilege-escalation', at(securityPath, 'allowPrivilegeEscalation'),
        `container "${name}" must set allowPrivilegeEscalation: false`);
    }
    if (security.runAsNonRoot === false) context.report(entry, 'pss-run-as-non-root', at(securityPath, 'runAsNonRoot'), `container "${name}" sets runAsNonRoot: false`);
    if (security.runAsUser === 0) context.report(entry, 'pss-run-as-user', at(securityPath, 'runAsUser'), `container "${name}" runs as user 0 (root)`);
    if (security.procMount !== undefined && security.procMount !== 'Default') {
      context.report(entry, 'pss-proc-mount', at(securityPath, 'procMount'), `container "${name}" sets procMount ${String(security.procMount)}`);
    }
    const seccomp = str(record(security.seccompProfile).type);
    if (seccomp !== undefined && !SECCOMP_TYPES.includes(seccomp)) {
      context.report(entry, 'pss-seccomp', at(securityPath, 'seccompProfile', 'type'), `container "${name}" uses seccompProfile ${seccomp}`);
    }
    seLinux(context, template, security, securityPath);
    const capabilities = record(security.capabilities);
    if (!strings(capabilities.drop).includes('ALL')) {
      context.report(entry, 'pss-capabilities', at(securityPath, 'capabilities', 'drop'), `container "${name}" must drop ALL capabilities`);
    }
    strings(capabilities.add).forEach((capability, i) => {
      if (capability !== 'NET_BIND_SERVICE') {
        context.report(entry, 'pss-capabilities', at(securityPath, 'capabilities', 'add', i), `container "${name}" adds capability ${capability}`);
      }
    });
    records(container.ports).forEach((port, i) => {
      if (typeof port.hostPort === 'number' && port.hostPort !== 0) {
        context.report(entry, 'pss-host-ports', at(path, 'ports', i, 'hostPort'), `container "${name}" binds host port ${port.hostPort}`);
      }
    });
  }
}
