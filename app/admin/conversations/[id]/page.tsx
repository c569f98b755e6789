import { notFound } from 'next/navigation';
import { AssistantMessage, UserMessage } from '@/components/chat/message';
import { VideoPlayersProvider } from '@/components/video/video-players';
import { availableModels } from '@/lib/ai/registry';
import { requireAdmin } from '@/lib/auth/admin';
import { comparedImagesOf } from '@/lib/chat/comparison-schema';
import { mediaIdFromUrl } from '@/lib/chat/types';
import { conversationForAdmin } from '@/lib/db/admin';
import { recordAudit } from '@/lib/db/audit';
import { toChatMessage } from '@/lib/db/messages';
import { idParams } from '@/lib/http-schemas';

export default async function AdminConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdmin();
  const { id } = await params;
  const conversation = idParams.safeParse({ id }).success ? await conversationForAdmin(admin, id) : null;
  if (!conversation) notFound();
  await recordAudit({ actorId: admin.id, action: 'view_conversation', targetType: 'conversation', targetId: conversation.id });

  const models = await availableModels();
  // The owner's media URLs only work for the owner: point them at the admin route instead.
  const messages = conversation.messages.map(toChatMessage).map((m) => ({
    ...m,
    parts: m.parts.map((p) => (p.type === 'file' && mediaIdFromUrl(p.url) ? { ...p, url: `/admin/media/${mediaIdFromUrl(p.url)}` } : p)),
  }));

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold" data-testid="admin-conversation-title">
          {conversation.title}
        </h1>
        <p className="text-sm text-zinc-500">
          {conversation.user.isAnonymous ? 'Guest' : conversation.user.email} · read-only · this view was recorded in the audit log
        </p>
      </div>
      {/* Times cited in answers play the video or recording they are about, as in the owner's chat. */}
      <VideoPlayersProvider>
        {messages.map((m, index) =>
          m.role === 'user' ? (
            <UserMessage key={m.id} message={m} />
          ) : (
            <AssistantMessage
              key={m.id}
              message={m}
              models={models}
              isLast={false}
              streaming={false}
              liveError={undefined}
              comparedImages={comparedImagesOf(messages[index - 1])}
            />
          ),
        )}
      </VideoPlayersProvider>
    </div>
  );
}
