import { runService } from '../../kit/run';
import { buildPaymentService } from './app';
import { loadConfig } from './config';

void runService({ name: 'payment-service', loadConfig, build: (config, tracing) => buildPaymentService(config, { tracing }) });
