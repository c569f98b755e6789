import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and wasm packages stay in node_modules instead of being bundled.
  serverExternalPackages: ['sharp', 'pg', '@prisma/adapter-pg', 'fluent-ffmpeg', '@electric-sql/pglite'],
  poweredByHeader: false,
  // Images only from ourselves (media route, previews as blob: URLs): a second line of defence
  // against model output that tries to make the browser fetch a URL carrying conversation text.
  async headers() {
    return [{ source: '/:path*', headers: [{ key: 'Content-Security-Policy', value: "img-src 'self' blob: data:" }] }];
  },
  experimental: {
    serverActions: { bodySizeLimit: '1mb' },
  },
};

export default nextConfig;
