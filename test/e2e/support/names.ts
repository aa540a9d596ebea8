/** The e2e cluster's name (kwokctl), distinct from `npm run cluster:up`'s so a developer's cluster survives the tests. */
export const E2E_CLUSTER = 'mesh-platform-e2e';
