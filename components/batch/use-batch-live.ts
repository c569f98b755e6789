'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BatchItemView, BatchSummary } from '@/lib/batch/types';
import { readableError } from '@/components/chat/errors';
import { batchAction, fetchBatch, isTerminal, watchBatch, type BatchAction } from '@/components/batch/batch-api';

/** How long after a cancel the items are read again (the worker checks for a cancel every second). */
const CANCEL_SETTLE_MS = 2000;

/**
 * A batch as it runs: loaded once, then followed on its events stream until it reaches a terminal
 * status (again after a resume or retry). Items are kept by id: an event replaces only the items it
 * carries, so the rows of the others keep their identity and are not drawn again.
 */
export function useBatchLive(id: string) {
  const [batch, setBatch] = useState<BatchSummary | null>(null);
  const [byId, setById] = useState(new Map<string, BatchItemView>());
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reconnecting, setReconnecting] = useState(false);
  const [acting, setActing] = useState<BatchAction | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const merge = useCallback((changed: BatchItemView[]) => {
    if (changed.length === 0) return;
    setById((old) => {
      const next = new Map(old);
      changed.forEach((item) => next.set(item.id, item));
      return next;
    });
  }, []);

  const load = useCallback(async () => {
    try {
      const view = await fetchBatch(id);
      setBatch(view.batch);
      merge(view.items);
      setLoadError(null);
    } catch (failure) {
      setLoadError(readableError(failure as Error));
    }
  }, [id, merge]);

  useEffect(() => {
    void load();
  }, [load]);

  const live = batch !== null && !isTerminal(batch.status);
  useEffect(() => {
    if (!live) return;
    const stop = watchBatch(id, {
      onEvent: (event) => {
        setBatch(event.batch);
        merge(event.items);
      },
      onReconnecting: (down) => {
        setReconnecting(down);
        // The batch may have ended (or gone) while the stream was down: its state says, and stops the watch.
        if (down) void load();
      },
    });
    return () => {
      stop();
      setReconnecting(false);
    };
  }, [id, live, merge, load]);

  const act = useCallback(
    async (action: BatchAction) => {
      setActing(action);
      setActionError(null);
      try {
        const { batch: after } = await batchAction(id, action);
        setBatch(after);
        // A stopped batch sends no more events: its items (running ones back to waiting) are read here.
        if (isTerminal(after.status)) await load();
        // The worker notices a cancel within a second, and keeps answers that arrive until then: read again once it has.
        if (action === 'cancel') setTimeout(() => void load(), CANCEL_SETTLE_MS);
      } catch (failure) {
        setActionError(readableError(failure as Error));
      } finally {
        setActing(null);
      }
    },
    [id, load],
  );

  const items = useMemo(() => [...byId.values()].sort((a, b) => a.index - b.index), [byId]);
  return { batch, items, loadError, reload: load, reconnecting, acting, actionError, act };
}
