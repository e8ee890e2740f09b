export * from './audit/index';
export * from './auth/service';
export * from './auth/tokens';
export * from './cache/index';
export * from './config';
export * from './errors';
export * from './logger';
export * from './runtime';
export { hashPassword, verifyPassword } from './auth/passwords';
