/**
 * The e2e cluster's name (kwokctl), distinct from `npm run cluster:up`'s so a developer's cluster survives the tests.
 * `MESH_E2E_CLUSTER` overrides it, so two e2e runs on one machine (two checkouts) do not delete each other's cluster.
 * @default 'mesh-platform-e2e'
 */
export const E2E_CLUSTER = process.env.MESH_E2E_CLUSTER || 'mesh-platform-e2e';
