import { pillStyle } from '@/components/batch/batch-format';

/** A small rounded status label, as on share links. */
export function StatusPill({ tone, testId, children }: { tone: keyof typeof pillStyle; testId?: string; children: React.ReactNode }) {
  return (
    <span data-testid={testId} className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${pillStyle[tone]}`}>
      {children}
    </span>
  );
}
