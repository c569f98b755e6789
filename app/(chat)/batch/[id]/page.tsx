import type { Metadata } from 'next';
import { BatchView } from '@/components/batch/batch-view';

export const metadata: Metadata = { title: 'Batch · Glimpse' };

type Props = { params: Promise<{ id: string }> };

// The batch is loaded and followed in the browser: its routes decide who may see it.
export default async function BatchPage({ params }: Props) {
  const { id } = await params;
  return <BatchView key={id} id={id} />;
}
