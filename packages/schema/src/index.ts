export * from './auth';
export * from './common-passwords';
export * from './errors';
export * from './jobs';
export * from './locale';
export * from './name';
export * from './password';
export * from './phone';
