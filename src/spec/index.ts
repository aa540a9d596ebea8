export * from './errors';
export * from './resolve';
export * from './types';
export * from './names';
export * from './modes';
