/**
 * Pulumi program entry (Pulumi.yaml `main`): Pulumi calls the exported function and awaits it; what it returns are
 * the stack outputs (`pulumi stack output`), documented on PlatformStackOutputs. All logic lives in ./program.
 */
import { runProgram } from './program';

export = runProgram;
