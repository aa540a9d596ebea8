import { describeEnvironmentSnapshot } from './environment-snapshot';

// Ambient with Gateway API routing (dev's modes) on prod's TLS gateway, JWT, monitoring and NetworkPolicies, which
// dev does not set: the NetworkPolicies of the ambient data plane (HBONE on 15008, probes from 169.254.7.127).
describeEnvironmentSnapshot('prod', { name: 'ambient, gateway-api', overrides: { mesh: { dataPlane: 'ambient', routing: 'gateway-api' } } });
