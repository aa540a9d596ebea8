import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** The folders whose code builds Kubernetes objects (constructs and their composition). */
const OBJECT_BUILDERS = ['src/constructs/**', 'src/mesh/**', 'src/observability/**', 'src/delivery/**', 'charts/**'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'lib/', 'imports/*.istio.io.ts', 'imports/*.k8s.io.ts', 'imports/*.x-k8s.io.ts', 'imports/monitoring.coreos.com.ts', 'imports/keda.sh.ts', 'imports/flagger.app.ts', 'imports/schemas/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // No import cycles: a module and the modules it imports form a tree a reader can follow from the leaves up.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Constructs build objects from the resolved description; the validator checks objects from anywhere. What both
    // need (labels, annotations, names) lives in src/description/names/, so neither depends on the other.
    files: OBJECT_BUILDERS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/validation', '**/validation/**'],
          message: 'constructs do not import the validator: import shared labels and annotations from src/description/names/',
        }],
      }],
    },
  },
);
