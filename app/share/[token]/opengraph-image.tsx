import { ImageResponse } from 'next/og';
import { findLiveShareLink, sharedTitle } from '@/lib/db/share-links';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { shareToken } from '@/lib/share/links';

export const runtime = 'nodejs';
// Drawn per request: a revoked or expired link must stop previewing too, so nothing is cached.
export const dynamic = 'force-dynamic';

export const alt = 'A conversation shared from Glimpse';
export const size = { width: 1200, height: 630 };
export const contentType = 'image/png';

/**
 * Only characters the font bundled with next/og can draw. For any other (emoji, CJK, …) it would
 * fetch a font from Google or an emoji from a CDN: a request to a third party per preview, and a
 * failure when offline. Those characters are left out of the picture; the page title keeps them.
 */
function drawable(text: string, max = 110): string {
  const kept = text.replace(/[^\x20-\x7e\u00a0-\u017f\u2013\u2014\u2018-\u201d\u2026]/g, '').replace(/\s+/g, ' ').trim();
  return kept.length <= max ? kept : `${kept.slice(0, max - 1).trimEnd()}…`;
}

// GET /share/:token/opengraph-image – the link preview picture: the conversation's title on a Glimpse card
export default async function Image({ params }: { params: Promise<{ token: string }> }) {
  try {
    const parsed = shareToken.safeParse((await params).token);
    const link = parsed.success ? await findLiveShareLink(parsed.data) : null;
    if (!link) throw new AppError('not_found', notFoundMessage.sharedConversation);
    const title = drawable(sharedTitle(link)) || 'A shared conversation';
    return new ImageResponse(
      (
        <div
          style={{
            width: '100%',
            height: '100%',
            display: 'flex',
            flexDirection: 'column',
            justifyContent: 'space-between',
            padding: '72px 80px',
            background: 'linear-gradient(135deg, #09090b 0%, #18181b 60%, #0c4a6e 100%)',
            color: '#fafafa',
          }}
        >
          <div style={{ display: 'flex', alignItems: 'center', gap: 18, fontSize: 40, fontWeight: 600 }}>
            <div style={{ width: 28, height: 28, borderRadius: 14, background: '#0ea5e9' }} />
            Glimpse
          </div>
          <div style={{ display: 'flex', fontSize: title.length > 60 ? 60 : 76, lineHeight: 1.15, letterSpacing: -1 }}>{title}</div>
          <div style={{ display: 'flex', fontSize: 30, color: '#a1a1aa' }}>A conversation about images · shared read-only</div>
        </div>
      ),
      size,
    );
  } catch (error) {
    return errorResponse(error);
  }
}
