// Entry point of the validation plugin for `cdk8s synth` (cdk8s.yaml, `validations:`). cdk8s-cli require()s this file in
// its own Node process, which cannot load TypeScript: tsx compiles ./cdk8s-plugin.ts on the fly (scoped to this
// require, not registered globally), so no build step is needed and `npm run synth` never loads any of this.
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./cdk8s-plugin.ts', __filename);
