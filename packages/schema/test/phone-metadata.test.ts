import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import committed from '../src/phone-metadata.uz.json' with { type: 'json' };

const require = createRequire(import.meta.url);
/** The installed libphonenumber-js's own mobile metadata, read fresh from the package. */
const full = JSON.parse(
  readFileSync(require.resolve('libphonenumber-js/metadata.mobile.json'), 'utf8'),
) as {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown>;
};

// After a libphonenumber-js upgrade this fails until `npm run phone-metadata -w @medora/schema`
// has rewritten the committed file from the new package.
describe('the Uzbek phone metadata', () => {
  it('is the installed package’s mobile metadata for UZ, unchanged', () => {
    expect(committed.version).toBe(full.version);
    expect(committed.countries.UZ).toEqual(full.countries.UZ);
    expect(full.country_calling_codes['998']).toEqual(['UZ']);
  });

  it('holds Uzbekistan and nothing else', () => {
    expect(committed.country_calling_codes).toEqual({ '998': ['UZ'] });
    expect(Object.keys(committed.countries)).toEqual(['UZ']);
    expect(committed.nonGeographic).toEqual({});
  });
});
