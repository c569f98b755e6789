/**
 * Every browser of a run comes from 127.0.0.1: one "household" signing up, minting guests and
 * asking far faster than people would from one address. Each app instance a run starts gets these.
 */
export const ONE_ADDRESS_LIMITS = {
  AUTH_ATTEMPTS_PER_MINUTE: '1000',
  GUEST_SESSIONS_PER_ADDRESS_PER_HOUR: '100000',
  RATE_LIMIT_CHAT_PER_ADDRESS_PER_MINUTE: '100000',
  RATE_LIMIT_UPLOADS_PER_ADDRESS_PER_MINUTE: '100000',
  RATE_LIMIT_BATCH_UPLOADS_PER_ADDRESS_PER_MINUTE: '100000',
  RATE_LIMIT_JOBS_PER_ADDRESS_PER_MINUTE: '100000',
};
