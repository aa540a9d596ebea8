/**
 * Compiling the generated schemas with ajv, for the kinds the validator cache (validator-cache.ts) does not have yet.
 * A module of its own so that a run served from the cache never loads ajv's compiler (about 100 ms).
 */
import Ajv, { type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone';
import { addKubernetesKeywords } from './keywords';
import type { Artifact } from './artifact';

/** One ajv instance holding the artifacts added so far. */
export class SchemaCompiler {
  private readonly ajv: Ajv;
  private readonly added = new Set<string>();

  /** @param options ajv's options; `code.source` must be set, as the standalone code is made from the kept source */
  constructor(options: Options) {
    this.ajv = new Ajv(options);
    addFormats(this.ajv);
    addKubernetesKeywords(this.ajv);
  }

  /** The validation function of `definition` in `artifact`, and its standalone code (a CommonJS module exporting it). */
  compile(artifact: Artifact, definition: string): { validate: ValidateFunction; code: string } {
    if (!this.added.has(artifact.schema.$id)) {
      this.ajv.addSchema(artifact.schema);
      this.added.add(artifact.schema.$id);
    }
    const ref = `${artifact.schema.$id}#/definitions/${definition}`;
    const validate = this.ajv.getSchema(ref);
    if (!validate) throw new Error(`validation: schema ${ref} missing from imports/schemas (regenerate them)`);
    return { validate, code: standaloneCode(this.ajv, validate) };
  }
}
