export { default } from '@medora/eslint-config';
