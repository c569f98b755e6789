/** The × on a staged attachment's thumbnail, image or video alike (and on a batch's images, as one stop of its grid's roving focus). */
export function RemoveAttachmentButton({ filename, onRemove, testId = 'attachment-remove', tabIndex }: { filename: string; onRemove: () => void; testId?: string; tabIndex?: number }) {
  return (
    <button
      type="button"
      aria-label={`Remove ${filename}`}
      data-testid={testId}
      tabIndex={tabIndex}
      onClick={onRemove}
      className="absolute right-1 top-1 rounded-full bg-black/60 px-1.5 text-sm leading-5 text-white hover:bg-black/80 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
    >
      ×
    </button>
  );
}
