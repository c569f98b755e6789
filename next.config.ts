import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and wasm packages stay in node_modules instead of being bundled.
  serverExternalPackages: ['sharp', 'pg', '@prisma/adapter-pg', 'fluent-ffmpeg', '@electric-sql/pglite'],
  poweredByHeader: false,
  experimental: {
    serverActions: { bodySizeLimit: '1mb' },
  },
};

export default nextConfig;
