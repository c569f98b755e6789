import type { Metadata } from 'next';
import { BatchList } from '@/components/batch/batch-list';
import { NewBatchForm } from '@/components/batch/new-batch-form';
import { SetupPanel } from '@/components/chat/setup-panel';
import { chatPageData } from '@/lib/chat/page-data';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Batch analysis · Glimpse' };

export default async function NewBatchPage() {
  // The same models and upload limits as the chat: a batch asks each image what a message would.
  const { models, modelId, limits } = await chatPageData();
  if (models.length === 0) return <SetupPanel />;
  return (
    <div className="flex h-full min-h-0 flex-col">
      <header className="border-b border-zinc-200 px-4 py-3 pl-14 md:pl-4 dark:border-zinc-800">
        <h1 className="text-lg font-semibold tracking-tight">Batch analysis</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Ask one question of many images and get the answers as a table.</p>
      </header>
      <NewBatchForm models={models} modelId={modelId} limits={limits}>
        <BatchList />
      </NewBatchForm>
    </div>
  );
}
