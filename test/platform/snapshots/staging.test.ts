import { describeEnvironmentSnapshot } from './environment-snapshot';

describeEnvironmentSnapshot('staging');
