import { describe, expect, it } from 'vitest';
import { nextPath } from '@/lib/auth/next-path';

describe('nextPath', () => {
  it('keeps a path on this site', () => {
    expect(nextPath('/share/abc')).toBe('/share/abc');
    expect(nextPath('/c/1?x=1#y')).toBe('/c/1?x=1#y');
  });

  it('sends anything that could leave the site to /', () => {
    for (const raw of [null, '', 'share/abc', '//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)']) {
      expect(nextPath(raw), String(raw)).toBe('/');
    }
  });
});
