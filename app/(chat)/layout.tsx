import { Sidebar } from '@/components/sidebar/sidebar';
import { currentUser } from '@/lib/auth/session';
import { listConversations } from '@/lib/db/conversations';

export default async function ChatLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  const conversations = user ? await listConversations(user.id) : [];
  const viewer = user ? { name: user.name, email: user.email, isAnonymous: Boolean(user.isAnonymous), isAdmin: user.role === 'admin' } : null;
  return (
    <div className="flex h-dvh overflow-hidden">
      <Sidebar conversations={conversations} viewer={viewer} />
      <main className="flex min-w-0 flex-1 flex-col">{children}</main>
    </div>
  );
}
