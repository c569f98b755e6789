'use client';

import { useRef, useState, type DragEvent } from 'react';
import { collectFromDrop, collectFromFolderInput, type Collected } from '@/components/batch/collect-files';
import { buttonClass } from '@/components/batch/styles';

/** What the picker offers; a file of another type can still be dropped, and the upload route says why it is refused. */
const acceptedImages = 'image/jpeg,image/png,image/webp,image/gif,image/avif,image/tiff';

/** Drag-and-drop of files and folders over an element (the whole form), with a flag for the overlay. */
export function useFileDrop(onAdd: (collected: Collected) => void, enabled: boolean) {
  const [dragging, setDragging] = useState(false);
  return {
    dragging: dragging && enabled,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!enabled || !e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      },
      onDragLeave: (e: DragEvent) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      },
      onDrop: (e: DragEvent) => {
        if (!enabled) return;
        e.preventDefault();
        setDragging(false);
        void collectFromDrop(e.dataTransfer).then(onAdd);
      },
    },
  };
}

/** The place to add images: large while there are none, a slim bar once there are. */
export function FileDropZone({ onAdd, compact, disabled }: { onAdd: (collected: Collected) => void; compact: boolean; disabled: boolean }) {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);

  const pickers = (
    <div className="flex flex-wrap items-center justify-center gap-2">
      <button type="button" data-testid="batch-choose-files" disabled={disabled} onClick={() => files.current?.click()} className={buttonClass}>
        <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <rect x="3" y="3" width="18" height="18" rx="2" />
          <circle cx="8.5" cy="8.5" r="1.5" />
          <path d="M21 15l-5-5L5 21" />
        </svg>
        Choose images
      </button>
      <button type="button" data-testid="batch-choose-folder" disabled={disabled} onClick={() => folder.current?.click()} className={buttonClass}>
        <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="M3 7a2 2 0 012-2h4l2 2h8a2 2 0 012 2v8a2 2 0 01-2 2H5a2 2 0 01-2-2z" />
        </svg>
        Choose a folder
      </button>
      <input
        ref={files}
        data-testid="batch-file-input"
        type="file"
        multiple
        accept={acceptedImages}
        className="hidden"
        onChange={(e) => {
          onAdd({ files: [...(e.target.files ?? [])], skipped: 0 });
          e.target.value = '';
        }}
      />
      <input
        // React has no prop for it: the attribute turns the picker into a folder picker.
        ref={(input) => input?.setAttribute('webkitdirectory', '')}
        data-testid="batch-folder-input"
        type="file"
        multiple
        className="hidden"
        onChange={(e) => {
          onAdd(collectFromFolderInput(e.target.files));
          e.target.value = '';
        }}
      />
    </div>
  );

  if (compact) {
    return (
      <div className="flex flex-wrap items-center justify-center gap-2 rounded-xl border border-dashed sm:justify-between border-zinc-300 px-3 py-2 dark:border-zinc-700">
        {/* Phones have nothing to drag from: the buttons alone. */}
        <p className="hidden text-sm text-zinc-500 sm:block dark:text-zinc-400">Drop more images or folders anywhere here, or</p>
        {pickers}
      </div>
    );
  }
  return (
    <div data-testid="batch-drop-zone" className="flex flex-col items-center gap-3 rounded-2xl border-2 border-dashed border-zinc-300 px-6 py-10 text-center dark:border-zinc-700">
      <svg width="36" height="36" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="text-zinc-400 dark:text-zinc-500" aria-hidden>
        <path d="M12 16V4m0 0l-4 4m4-4l4 4M4 16v2a2 2 0 002 2h12a2 2 0 002-2v-2" />
      </svg>
      <div>
        <p className="font-medium">Drop up to 500 images or a whole folder</p>
        <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">JPEG, PNG, WebP, GIF, AVIF or TIFF. Files in a folder that are not images are skipped.</p>
      </div>
      {pickers}
    </div>
  );
}
