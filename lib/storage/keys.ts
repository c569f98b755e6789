// One grammar for every backend, so a key that works locally also works on Vercel Blob and
// vice versa. Each segment starts with a letter or digit, which rules out '.', '..', empty
// segments and dotfiles (the local store relies on that to name its temp files).
const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

// Well under Vercel Blob's 950-character pathname limit, leaving room for a prefix.
const MAX_KEY_LENGTH = 512;

/** Throws for a malformed key: keys come from code, never from users, so a bad one is a bug. */
export function assertValidBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key)) {
    throw new Error(`Invalid blob key: ${JSON.stringify(String(key).slice(0, 100))}`);
  }
}
