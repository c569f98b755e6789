import { randomUUID } from 'node:crypto';
import { Chat } from '@/components/chat/chat';
import { chatPageData } from '@/lib/chat/page-data';

export const dynamic = 'force-dynamic';

export default async function NewChatPage() {
  const data = await chatPageData();
  // A fresh id per visit: the conversation is created with it on the first message.
  return <Chat key="new" id={randomUUID()} initialMessages={[]} isNew {...data} />;
}
