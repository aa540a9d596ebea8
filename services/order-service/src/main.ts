import { runService } from '../../kit/run';
import { buildOrderService } from './app';
import { loadConfig } from './config';

void runService({ name: 'order-service', loadConfig, build: (config, tracing) => buildOrderService(config, { tracing }) });
