import { runService } from '../../kit/run';
import { buildUserService } from './app';
import { loadConfig } from './config';

void runService({ name: 'user-service', loadConfig, build: (config, tracing) => buildUserService(config, { tracing }) });
