import { describeEnvironmentSnapshot } from './environment-snapshot';

describeEnvironmentSnapshot('dev');
