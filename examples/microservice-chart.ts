/**
 * A cdk8s app of your own that uses one construct of mesh-platform on its own: a `Microservice` (its ServiceAccount,
 * Service, and per version a Deployment, autoscaler and disruption budget) in a plain cdk8s Chart, from hand-written
 * props, patched through one of its handles.
 * docs/library.md walks through it; test/package/pack.test.ts installs the packed package into a fresh project and
 * runs this very file there.
 */
import { App, Chart, JsonPatch } from 'cdk8s';
import { Microservice } from 'mesh-platform';

const app = new App();
// The construct's objects go to the chart's namespace; every prop left out takes the platform description's default.
const chart = new Chart(app, 'catalog', { namespace: 'shop' });
const catalog = new Microservice(chart, 'catalog', {
  name: 'catalog',
  versions: [{ name: 'v1', image: 'registry.example.com/shop/catalog:1.4.2' }],
});
// What it created, to change the cdk8s way: here the version's Deployment.
catalog.deployments.v1.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 10));
app.synth();
