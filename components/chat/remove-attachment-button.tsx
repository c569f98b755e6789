/** The × on a staged attachment's thumbnail, image or video alike. */
export function RemoveAttachmentButton({ filename, onRemove }: { filename: string; onRemove: () => void }) {
  return (
    <button
      type="button"
      aria-label={`Remove ${filename}`}
      data-testid="attachment-remove"
      onClick={onRemove}
      className="absolute right-1 top-1 rounded-full bg-black/60 px-1.5 text-sm leading-5 text-white hover:bg-black/80"
    >
      ×
    </button>
  );
}
