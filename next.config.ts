import type { NextConfig } from 'next';
import { nonPagePolicy } from './lib/csp';

const nextConfig: NextConfig = {
  // Native and wasm packages stay in node_modules instead of being bundled.
  serverExternalPackages: ['sharp', 'pg', '@prisma/adapter-pg', 'fluent-ffmpeg', '@electric-sql/pglite'],
  poweredByHeader: false,
  // Pages get their policy, with a nonce, from proxy.ts; what the proxy does not see (API answers,
  // media bytes) gets one that lets nothing run. Both deny framing.
  async headers() {
    const headers = (value: string) => [
      { key: 'Content-Security-Policy', value },
      { key: 'X-Frame-Options', value: 'DENY' },
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    ];
    return ['/api/:path*', '/share/:token/:kind(media|audio|videos)/:rest*'].map((source) => ({ source, headers: headers(nonPagePolicy) }));
  },
  experimental: {
    serverActions: { bodySizeLimit: '1mb' },
  },
};

export default nextConfig;
