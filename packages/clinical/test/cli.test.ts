import { analysisReport } from '@medora/schema';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture, type Vignette } from './helpers';

const BIN = fileURLToPath(new URL('../bin/medora-analyze.mjs', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'medora-analyze-'));
const input = fixture<Vignette[]>('vignettes.json').find((v) => v.id === 'dev-16')!.input;

function cli(args: string[], stdin?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { input: stdin, encoding: 'utf8' });
}
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('medora-analyze', () => {
  it('prints the report of a valid file as indented JSON and exits 0', () => {
    const r = cli([file('ok.json', JSON.stringify(input))]);
    expect(r.status).toBe(0);
    const report = analysisReport.parse(JSON.parse(r.stdout));
    expect(report.redFlags[0]!.code).toBe('critical_lab.potassium');
    expect(r.stdout.startsWith('{\n  "engine": {')).toBe(true);
  });

  it('reads stdin for "-"', () => {
    const r = cli(['-'], JSON.stringify(input));
    expect(r.status).toBe(0);
    expect(analysisReport.parse(JSON.parse(r.stdout)).locale).toBe('uz');
  });

  it('refuses invalid input with exit 2, naming the field', () => {
    const bad = { ...input, labs: [{ code: 'potassium', value: -1, unit: 'mmol/L' }] };
    const r = cli(['-'], JSON.stringify(bad));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('labs.0.value');
    expect(r.stdout).toBe('');
    const sex = cli(['-'], JSON.stringify({ ...input, patient: { sex: 'x', ageYears: 40 } }));
    expect(sex.status).toBe(2);
    expect(sex.stderr).toContain('patient.sex');
  });

  it('refuses invalid JSON and a missing file with exit 2', () => {
    const json = cli([file('bad.json', '{ not json')]);
    expect(json.status).toBe(2);
    expect(json.stderr).toMatch(/invalid JSON/);
    const missing = cli([path.join(dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/ENOENT/);
    expect(cli([]).status).toBe(2);
  });

  it('an unknown analyte is a warning, not a failure', () => {
    const withUnknown = { ...input, labs: [{ code: 'lipase', value: 40, unit: 'U/L' }] };
    const r = cli(['-'], JSON.stringify(withUnknown));
    expect(r.status).toBe(0);
    expect(analysisReport.parse(JSON.parse(r.stdout)).warnings[0]!.code).toBe('unknown_analyte');
  });
});
