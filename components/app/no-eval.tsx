'use client';

import { z } from 'zod';

// Zod compiles object parsers with `new Function` when it may, probing for that first; under our
// CSP (no 'unsafe-eval') the probe is a reported violation on every page. Interpreted it is.
z.config({ jitless: true });

/** Rendered once in the root layout, so the setting holds before any schema in the browser runs. */
export function NoEval() {
  return null;
}
