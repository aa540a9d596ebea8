import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'lib/', 'imports/*.istio.io.ts', 'imports/*.k8s.io.ts', 'imports/*.x-k8s.io.ts', 'imports/monitoring.coreos.com.ts', 'imports/keda.sh.ts', 'imports/flagger.app.ts', 'imports/schemas/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
