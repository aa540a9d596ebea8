// Entry point of the validation plugin for `cdk8s synth` (cdk8s.yaml, `validations:`). cdk8s-cli require()s this file in
// its own Node process, which cannot load TypeScript: tsx's require hook compiles ./cdk8s-plugin.ts and what it imports
// on the fly, so no build step is needed and `npm run synth` never loads any of this.
//
// The hook is registered for the process, not scoped to one require (tsx/cjs/api's `require`): a scoped require loads
// the packages again under a namespace of its own, and modules the plugin loads later (ajv's compiler, on the first kind
// the validator cache lacks) then mixed ajv's code-generation classes from both copies, writing cached validation code
// that was no JavaScript (test/validation/cdk8s-plugin.test.ts).
require('tsx/cjs/api').register();

module.exports = require('./cdk8s-plugin.ts');
