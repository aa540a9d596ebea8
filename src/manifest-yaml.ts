/**
 * Manifests as YAML files: what cdk8s' `App.synth()` writes for a chart (`Yaml.save`), from objects already
 * synthesized (`chart.toJson()`), so a chart is synthesized once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Yaml } from 'cdk8s';

/** The objects as one multi-document YAML text, byte for byte what cdk8s writes. */
export function manifestYaml(objects: readonly unknown[]): string {
  return Yaml.stringify(...objects);
}

/** Writes the objects to `file` (creating its directory) as cdk8s would; returns the bytes written. */
export function writeManifest(file: string, objects: readonly unknown[]): number {
  const text = manifestYaml(objects);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}
