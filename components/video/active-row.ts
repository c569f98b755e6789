'use client';

import { useEffect, useRef, type RefObject } from 'react';
import { scrollBehavior } from '@/components/video/video-players';

/**
 * Keeps the list's active row (a scene, a transcript line) in view inside the list — never by
 * scrolling the page — while `follow()` says to. Each new `reveal` (a count, from a time cited on a
 * page without a player) brings the row into view on the page too, and focuses its button.
 */
export function useActiveRowInView(list: RefObject<HTMLElement | null>, active: number, reveal: number, follow: () => boolean = () => true) {
  const revealed = useRef(reveal);
  useEffect(() => {
    const container = list.current;
    const row = container?.children[active] as HTMLElement | undefined;
    if (!container || !row) return;
    if (reveal !== revealed.current) {
      revealed.current = reveal;
      row.scrollIntoView({ block: 'center', behavior: scrollBehavior() });
      row.querySelector('button')?.focus({ preventScroll: true });
      return;
    }
    if (!follow()) return;
    const outOfView = row.offsetTop < container.scrollTop || row.offsetTop + row.offsetHeight > container.scrollTop + container.clientHeight;
    if (outOfView) container.scrollTo({ top: row.offsetTop - container.clientHeight / 3, behavior: scrollBehavior() });
    // `follow` is read when the active row changes; it is not a reason to scroll by itself.
  }, [list, active, reveal]); // eslint-disable-line react-hooks/exhaustive-deps
}
