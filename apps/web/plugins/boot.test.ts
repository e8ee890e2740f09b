// @vitest-environment node
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bootSource } from './boot';

describe('bootSource', () => {
  it('fills in the chunks and the entry, as a script that parses', () => {
    const source = bootSource(
      ['/assets/react-1.js', '/assets/tanstack-2.js'],
      '/assets/index-3.js',
    );
    expect(source).not.toContain('__BOOT__');
    expect(source).toContain(
      'const { modules, entry } = {"modules":["/assets/react-1.js","/assets/tanstack-2.js"],"entry":"/assets/index-3.js"};',
    );
    // It parses: a syntax error would throw here.
    expect(() => new vm.Script(source)).not.toThrow();
  });
});
