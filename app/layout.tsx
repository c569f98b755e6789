import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import { NoEval } from '@/components/app/no-eval';
import './globals.css';

export const metadata: Metadata = {
  title: 'Glimpse',
  description: 'Talk about your images with vision-language models.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#09090b' },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry that response's CSP nonce (proxy.ts),
  // which a page prerendered at build time could not.
  await connection();
  return (
    <html lang="en">
      <body className="h-dvh bg-white font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <NoEval />
        {children}
      </body>
    </html>
  );
}
