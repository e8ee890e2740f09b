// Writes src/phone-metadata.uz.json: libphonenumber-js's mobile metadata cut down to Uzbekistan.
// The app accepts Uzbek mobile numbers only, and the metadata for every country is most of the
// JavaScript the sign-in page would otherwise load. Run after upgrading libphonenumber-js
// (`npm run phone-metadata -w @medora/schema`); test/phone-metadata.test.ts fails until then.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const COUNTRY = 'UZ';
const CALLING_CODE = '998';

const require = createRequire(import.meta.url);
const full = JSON.parse(readFileSync(require.resolve('libphonenumber-js/metadata.mobile.json')));
if (JSON.stringify(full.country_calling_codes[CALLING_CODE]) !== JSON.stringify([COUNTRY]))
  throw new Error(`+${CALLING_CODE} is no longer ${COUNTRY} alone in libphonenumber-js`);

const out = {
  version: full.version,
  country_calling_codes: { [CALLING_CODE]: [COUNTRY] },
  countries: { [COUNTRY]: full.countries[COUNTRY] },
  nonGeographic: {},
};
const target = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../src/phone-metadata.uz.json',
);
writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
