import { describeEnvironmentSnapshot } from './environment-snapshot';

// The mesh mode no shipped environment uses: sidecars with Gateway API routing (dev is ambient with the Gateway API,
// staging and prod are sidecars with Istio routing), on prod's TLS gateway and JWT.
describeEnvironmentSnapshot('prod', { name: 'sidecar, gateway-api', overrides: { mesh: { routing: 'gateway-api' } } });
