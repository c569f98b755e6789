import { Sidebar } from '@/components/sidebar/sidebar';
import { currentUserId } from '@/lib/auth/session';
import { listConversations } from '@/lib/db/conversations';

export default async function ChatLayout({ children }: { children: React.ReactNode }) {
  const userId = await currentUserId();
  const conversations = userId ? await listConversations(userId) : [];
  return (
    <div className="flex h-dvh overflow-hidden">
      <Sidebar conversations={conversations} />
      <main className="flex min-w-0 flex-1 flex-col">{children}</main>
    </div>
  );
}
