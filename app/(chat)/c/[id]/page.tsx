import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Chat } from '@/components/chat/chat';
import { currentUserId } from '@/lib/auth/session';
import { chatPageData } from '@/lib/chat/page-data';
import { getConversationWithMessages } from '@/lib/db/conversations';
import { toChatMessage } from '@/lib/db/messages';
import { idParams } from '@/lib/http-schemas';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

async function load(id: string) {
  const userId = await currentUserId();
  if (!userId || !idParams.safeParse({ id }).success) return null;
  return getConversationWithMessages(userId, id);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const conversation = await load((await params).id);
  return { title: conversation ? `${conversation.title} · Glimpse` : 'Not found · Glimpse' };
}

export default async function ConversationPage({ params }: Props) {
  const conversation = await load((await params).id);
  // Someone else's conversation looks exactly like one that does not exist.
  if (!conversation) notFound();
  const data = await chatPageData(conversation.modelId);
  return <Chat key={conversation.id} id={conversation.id} initialMessages={conversation.messages.map(toChatMessage)} isNew={false} {...data} />;
}
