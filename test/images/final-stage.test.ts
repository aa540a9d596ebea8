/**
 * The final stage `npm run images` builds each image from (src/images/final-stage.ts): images/Dockerfile's own final
 * stage, verbatim, on an image of its build stage, reading nothing from the context. Built for real in
 * test/images/containers.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKERFILE } from '../../src/images/build';
import { BUNDLES_IMAGE_ARG, buildStageName, finalStageDockerfile } from '../../src/images/final-stage';
import { REPOSITORY_ROOT } from '../../src/images/services';

const dockerfile = readFileSync(join(REPOSITORY_ROOT, DOCKERFILE), 'utf8');
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ') + 1);

test('keeps the global arguments and the final stage verbatim, its build stage the image BUNDLES_IMAGE names', () => {
  const generated = finalStageDockerfile(dockerfile);
  expect(buildStageName(dockerfile)).toBe('build');
  expect(generated).toContain('\nARG RUNTIME_IMAGE=');
  expect(generated).toContain(`\nARG ${BUNDLES_IMAGE_ARG}\nFROM \${${BUNDLES_IMAGE_ARG}} AS build\n${finalStage}`);
  expect(generated.endsWith(finalStage)).toBe(true);
  // Nothing of the build stage: no copy from the context, no bundling.
  expect(generated).not.toMatch(/^COPY (?!--from=)/m);
  expect(generated).not.toMatch(/^RUN \["node", "--import", "tsx"/m);
});

test('refuses a Dockerfile it cannot split, or whose final stage reads the context, by name', () => {
  expect(() => finalStageDockerfile('FROM node:20\nCOPY a b\n')).toThrow('images/Dockerfile: expected two stages, a build stage (FROM <image> AS <name>) and the image\'s; found 1 FROM lines');
  expect(() => finalStageDockerfile('FROM node:20\nFROM distroless\n')).toThrow('expected two stages');
  expect(() => finalStageDockerfile(`${dockerfile}\nCOPY images/extra.json /app/\n`)).toThrow(
    "images/Dockerfile: the image's stage copies from the build context (COPY images/extra.json /app/); copy from the build stage instead",
  );
});
