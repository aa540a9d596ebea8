/**
 * A cdk8s app of your own that uses one construct of mesh-platform on its own: a `Microservice` (its ServiceAccount,
 * Service, and per version a Deployment, autoscaler and disruption budget) in a plain cdk8s Chart.
 * docs/library.md walks through it; test/package/pack.test.ts installs the packed package into a fresh project and
 * runs this very file there.
 */
import { App, Chart } from 'cdk8s';
import { Microservice, resolvePlatformSpec } from 'mesh-platform';

// The constructs take a resolved spec: the description validated, its defaults applied (a mistake throws, one line
// per problem naming the field and the fix).
const platform = resolvePlatformSpec({
  environment: 'dev',
  description: {
    name: 'shop',
    registry: 'registry.example.com/shop',
    services: [{ name: 'catalog', versions: [{ name: 'v1', image: 'registry.example.com/shop/catalog:1.4.2' }] }],
  },
});

const app = new App();
const chart = new Chart(app, 'catalog', { namespace: platform.namespace });
new Microservice(chart, 'catalog', { platform, service: platform.services[0] });
app.synth();
