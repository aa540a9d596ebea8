import { App } from 'cdk8s';
import { resolvePlatformSpec } from '../src/description/resolve';
import { addPlatformChart } from '../src/platform';
import { scaleDescription } from './scale-description';
const { description, overrides, images } = scaleDescription(1000);
const spec = resolvePlatformSpec({ description, environment: 'prod', overrides: overrides.prod, images });
const t = performance.now();
const objects = addPlatformChart(new App(), spec).toJson();
console.error('synth ms', performance.now() - t, objects.length);
