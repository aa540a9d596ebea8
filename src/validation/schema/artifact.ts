/**
 * A generated schema artifact (imports/generate-schemas.ts): `kinds` maps `group/version/kind` to a definition. An
 * artifact with a `base` stores only the definitions that differ from the base's; it is read composed.
 */
export interface Artifact {
  readonly kinds: Record<string, string>;
  readonly base?: string;
  readonly schema: { $id: string; definitions: Record<string, unknown> };
}
