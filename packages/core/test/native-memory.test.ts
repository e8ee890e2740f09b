import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Memory the V8 heap does not see: an Intl formatter keeps tens of KB of ICU memory that the
// garbage collector does not count, so code that builds one per call grows RSS by hundreds of
// MB while the heap stays small. Each case runs in a fresh process and reports how much its
// RSS grew over 20,000 calls (what a few hundred patient.list pages or a large expiry run do).
function rssGrowthMb(body: string): number {
  const script = `
    import { readFileSync } from 'node:fs';
    const rssMb = () => Number(/VmRSS:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
    ${body}
    const before = rssMb();
    let peak = before;
    for (let i = 0; i < 20000; i++) {
      run(i);
      if (i % 500 === 0) peak = Math.max(peak, rssMb());
    }
    console.log(JSON.stringify({ growth: Math.max(peak, rssMb()) - before }));
  `;
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    },
  );
  return (JSON.parse(out.trim().split('\n').pop()!) as { growth: number }).growth;
}

describe('memory outside the V8 heap', () => {
  it("a patient's age (every row of every patient list) does not grow RSS", () => {
    const growth = rssGrowthMb(`
      import { ageOf } from './packages/core/src/patients/service.ts';
      ageOf({ birth_date: '1990-05-01', age_years: null, age_recorded_on: null });
      const run = (i) => ageOf({ birth_date: null, age_years: 40 + (i % 3), age_recorded_on: '2025-01-01' });
    `);
    // Measured: ~500 MB with a formatter per call, under 5 MB with one for the process.
    expect(growth).toBeLessThan(40);
  });

  it('wording notifications (thousands in one expiry run) does not grow RSS', () => {
    const growth = rssGrowthMb(`
      import { renderNotification } from './packages/core/src/notifications/texts.ts';
      const locales = ['uz', 'ru', 'en'];
      const message = { kind: 'subscription_extended', params: { days: 14, endsAt: '2026-12-20T00:00:00.000Z' } };
      for (const locale of locales) renderNotification(message, locale);
      const run = (i) => renderNotification(message, locales[i % 3]);
    `);
    expect(growth).toBeLessThan(40);
  });
});
