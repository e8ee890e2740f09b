import { analytes } from './kb/analytes';
import type { Localized } from './kb/localized';

/**
 * What a lab-entry form needs of the knowledge base: each analyte's code, names and the units
 * the engine converts (the canonical SI unit first). Its own entry point, so the web app bundles
 * this list and not the rules.
 */
export interface CatalogueAnalyte {
  readonly code: string;
  readonly name: Localized;
  readonly siUnit: string;
  readonly units: readonly string[];
}

export const analyteCatalogue: readonly CatalogueAnalyte[] = analytes.map((a) => ({
  code: a.code,
  name: a.name,
  siUnit: a.siUnit,
  units: a.units.map((u) => u.unit),
}));
