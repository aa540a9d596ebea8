export * from './errors';
export * from './resolve';
export * from './types';
export { parseQuantity } from './formats';
export * from './names';
