import { describeEnvironmentSnapshot } from './environment-snapshot';

describeEnvironmentSnapshot('prod');
