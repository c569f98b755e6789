import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { AssistantMessage, UserMessage } from '@/components/chat/message';
import { ContinueInCopy } from '@/components/share/continue-in-copy';
import { VideoPlayersProvider } from '@/components/video/video-players';
import { availableModels } from '@/lib/ai/registry';
import { currentUser } from '@/lib/auth/session';
import { comparedImagesOf } from '@/lib/chat/comparison-schema';
import { textOfParts, type ChatMessage } from '@/lib/chat/types';
import { toChatMessage } from '@/lib/db/messages';
import { countShareView, getSharedConversation } from '@/lib/db/share-links';
import { previewText, sharedMediaMessage, sharedParts, shareToken, shareUrl } from '@/lib/share/links';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ token: string }> };

/** Once per request: generateMetadata and the page both need it. */
const load = cache(async (token: string) => {
  const parsed = shareToken.safeParse(token);
  return parsed.success ? getSharedConversation(parsed.data) : null;
});

/**
 * Link previews need absolute URLs. BETTER_AUTH_URL is the app's public address when one is
 * configured; otherwise the address this request came to (as the auth setup does).
 */
async function publicOrigin(): Promise<URL | null> {
  if (process.env.BETTER_AUTH_URL) return new URL(process.env.BETTER_AUTH_URL);
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host');
  if (!host) return null;
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return new URL(`${proto}://${host}`);
}

// Unlisted: search engines stay out, and the token in the address is not sent on to links in answers.
const privacy = { robots: { index: false, follow: false }, referrer: 'no-referrer' } satisfies Metadata;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const shared = await load(token);
  // metadataBase either way: ./opengraph-image.tsx adds its og:image to this segment regardless.
  if (!shared) return { title: 'Link unavailable · Glimpse', metadataBase: await publicOrigin(), ...privacy };
  const firstQuestion = shared.messages.find((m) => m.role === 'user');
  const question = firstQuestion ? previewText(textOfParts(firstQuestion.parts as ChatMessage['parts'], ' ')) : '';
  const what = shared.link.media ? (shared.link.media.kind === 'audio' ? 'A recording and its transcript' : 'A video and its timeline') : 'A conversation about images';
  const description = question || `${what}, shared from Glimpse.`;
  // og:image and twitter:image come from ./opengraph-image.tsx.
  return {
    title: `${shared.title} · Glimpse`,
    description,
    metadataBase: await publicOrigin(),
    ...privacy,
    openGraph: { type: 'article', siteName: 'Glimpse', title: shared.title, description, url: shareUrl(token) },
    twitter: { card: 'summary_large_image', title: shared.title, description },
  };
}

export default async function SharedConversationPage({ params }: Props) {
  const { token } = await params;
  const shared = await load(token);
  // Unknown, revoked and expired look the same: see ./not-found.tsx.
  if (!shared) notFound();
  const [viewer, models] = await Promise.all([currentUser(), availableModels()]);
  // The owner checking their own link is not a view.
  if (viewer?.id !== shared.link.userId) await countShareView(shared.link.id);

  // Server-side, before anything reaches the browser: images point at this link, never at /api/media.
  const messages: ChatMessage[] = shared.link.media
    ? [sharedMediaMessage(shared.link.media, token)]
    : shared.messages.map((row) => {
        const message = toChatMessage(row);
        const label = models.find((m) => m.id === message.metadata?.modelId)?.label;
        return { ...message, parts: sharedParts(message.parts, token), metadata: { ...message.metadata, modelLabel: label } };
      });
  const sharedOn = shared.link.snapshotAt;

  return (
    // The document scrolls (not an inner pane as in the chat): a page to read, with nothing pinned below.
    <div className="min-h-dvh">
      <header className="sticky top-0 z-10 flex items-center justify-between gap-3 border-b border-zinc-200 bg-white/90 px-4 py-2.5 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Glimpse
        </Link>
        <span data-testid="shared-badge" className="rounded-full bg-zinc-100 px-2.5 py-0.5 text-xs font-medium text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          Shared · read-only
        </span>
      </header>
      <main data-testid="shared-conversation">
        <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
          <div>
            <h1 data-testid="shared-title" className="text-2xl font-semibold tracking-tight break-words">
              {shared.title}
            </h1>
            <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
              Shared on{' '}
              <time dateTime={sharedOn.toISOString()}>{sharedOn.toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' })}</time>.{' '}
              {shared.link.media ? 'Only this analysis is shared, not the conversation it is part of.' : 'Later messages in this conversation stay private.'}
            </p>
          </div>
          {/* Times cited in answers show the scene in the video's timeline (there is no player here). */}
          <VideoPlayersProvider>
            {messages.map((message, index) =>
              message.role === 'user' ? (
                <UserMessage key={message.id} message={message} />
              ) : (
                // No onRetry and not last: read-only, so no regenerate or retry.
                <AssistantMessage
                  key={message.id}
                  message={message}
                  models={[]}
                  isLast={false}
                  streaming={false}
                  liveError={undefined}
                  comparedImages={comparedImagesOf(messages[index - 1])}
                />
              ),
            )}
          </VideoPlayersProvider>
          {!shared.link.media && <ContinueInCopy token={token} canCopy={Boolean(viewer && !viewer.isAnonymous)} />}
        </div>
      </main>
    </div>
  );
}
