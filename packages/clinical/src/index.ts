export { analyze } from './analyze';
export { egfrCkdEpi2021, gfrCategory } from './derived';
export { normalizeUnit, convert } from './units';
export { ENGINE_VERSION, KNOWLEDGE_BASE_VERSION } from './version';
export { analytes, analyteByCode } from './kb/analytes';
export { criticalLimits } from './kb/critical-limits';
export { sources } from './kb/sources';
