export { default } from '@medora/prettier-config';
