/**
 * Failure markers in the last user message, each naming an error case the dialect answers in its
 * own words: `[fail:context]`, `[fail:429x2]` (only the first 2 calls for the prompt fail), …
 */
import type { ErrorCase } from './dialects/types';

const CASES: Record<string, ErrorCase> = {
  '429': 'rateLimited',
  '429:bare': 'rateLimitedBare',
  context: 'contextLength',
  '413': 'payloadTooLarge',
  '401': 'unauthorized',
  '503': 'unavailable',
  '500': 'serverError',
};

export interface FailureMarker {
  errorCase: ErrorCase;
  /** How many calls fail before the prompt succeeds; Infinity without `xN`. */
  times: number;
  /** Counts calls per prompt and case, so `[fail:429x1][fail:503x1]` fail once each. */
  key: string;
}

export function failureMarkers(prompt: string): FailureMarker[] {
  return [...prompt.matchAll(/\[fail:(429:bare|429|context|413|401|503|500)(?:x(\d+))?\]/g)].map(([, name, times]) => ({
    errorCase: CASES[name],
    times: times ? Number(times) : Infinity,
    key: `${prompt}#${name}`,
  }));
}
