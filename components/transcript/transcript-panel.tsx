'use client';

import { memo, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { readableError } from '@/components/chat/errors';
import { commonLanguages, languageLabel, sameLanguage } from '@/components/transcript/languages';
import { citedStart, lineAt, SEEK_SLACK_MS } from '@/components/transcript/lines';
import { isAbort, requestTranslation, transcriptDownloadHref, type TranscriptFormat, type TranslationView } from '@/components/transcript/translate-api';
import { ProgressBar } from '@/components/video/progress-bar';
import { formatClock } from '@/components/video/timestamps';
import { useActiveRowInView } from '@/components/video/active-row';
import { playFrom } from '@/components/video/video-players';
import type { TranscriptView } from '@/lib/transcripts/view';

/** After the person scrolls the lines themselves, following the playing line waits this long. */
const FOLLOW_PAUSE_MS = 4000;
const scrollKeys = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);

const buttonClass =
  'rounded-lg border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800';

/** The version of the transcript on show: the original, a stored translation (by id), or the one arriving. */
type Version = 'original' | 'streaming' | string;

interface Streaming {
  language: string;
  texts: (string | undefined)[];
  received: number;
}

export interface TranscriptPanelProps {
  transcript: TranscriptView;
  /** `?format=txt|srt|vtt[&translation=<id>]` downloads a version. */
  transcriptUrl: string;
  /** Where new translations are asked for; null where translating is not allowed (a shared page). */
  translationsUrl: string | null;
  /** The element playing the recording or video, once mounted; null without one (a shared page before its playback copy). */
  player: HTMLMediaElement | null;
  /** What was transcribed, for the empty state. */
  subject?: 'recording' | 'video';
  /** A cited time to show without a player: each new `n` brings its line into view and focuses it. */
  shown?: { seconds: number; n: number } | null;
}

/**
 * What is said in a recording or video, line by line: choosing a line plays the player from there,
 * and the line playing is highlighted and kept in view (unless the person is scrolling the lines
 * themselves). Translations are other versions of the same lines, with the same times; a new one
 * streams in line by line. Each version downloads as TXT, SRT or VTT.
 */
export function TranscriptPanel(props: TranscriptPanelProps) {
  const { transcript, transcriptUrl, translationsUrl, player, subject = 'recording', shown } = props;
  const { segments } = transcript;
  const list = useRef<HTMLOListElement>(null);
  const [active, setActive] = useState(-1);
  const [reveal, setReveal] = useState(0);
  const userScrolledAt = useRef(0);

  const [added, setAdded] = useState<TranslationView[]>([]);
  const [version, setVersion] = useState<Version>('original');
  const [streaming, setStreaming] = useState<Streaming | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stop = useRef<AbortController | null>(null);

  // The view's translations (reloaded views bring the ones made here too) and the ones made since it was loaded.
  const translations = useMemo(
    () => [...transcript.translations, ...added.filter((a) => !transcript.translations.some((t) => t.id === a.id))],
    [transcript.translations, added],
  );

  // The playing line, from the player's own events: only a change of line renders anything.
  useEffect(() => {
    if (!player) return;
    const update = () => setActive(lineAt(segments, player.currentTime * 1000 + SEEK_SLACK_MS));
    if (!player.paused || player.currentTime > 0) update();
    const events = ['timeupdate', 'seeked', 'play'] as const;
    events.forEach((name) => player.addEventListener(name, update));
    return () => events.forEach((name) => player.removeEventListener(name, update));
  }, [player, segments]);

  // A time cited in an answer, without a player to play it: its line is shown.
  useEffect(() => {
    if (!shown) return;
    setActive(lineAt(segments, citedStart(segments, shown.seconds) * 1000 + SEEK_SLACK_MS));
    setReveal(shown.n);
  }, [shown, segments]);

  // The active line stays in view while it plays, unless the person is scrolling the list.
  useActiveRowInView(list, active, reveal, () => Boolean(player && !player.paused && Date.now() - userScrolledAt.current >= FOLLOW_PAUSE_MS));

  const userScrolled = useCallback(() => {
    userScrolledAt.current = Date.now();
  }, []);

  const select = useCallback(
    (index: number) => {
      // Choosing a line is following along again.
      userScrolledAt.current = 0;
      setActive(index);
      if (player) playFrom(player, segments[index].startMs / 1000);
    },
    [player, segments],
  );

  // A translation still arriving stops when the panel goes.
  useEffect(() => () => stop.current?.abort(), []);

  /** Whether the translation was made (or was there already), so the form can let go of the language typed. */
  const translate = async (language: string): Promise<boolean> => {
    if (!translationsUrl || streaming) return false;
    setError(null);
    // One this transcript already has is simply shown.
    const known = translations.find((t) => sameLanguage(t.language, language));
    if (known) {
      setVersion(known.id);
      return true;
    }
    const controller = new AbortController();
    stop.current = controller;
    const before = version;
    setStreaming({ language, texts: new Array<string | undefined>(segments.length).fill(undefined), received: 0 });
    setVersion('streaming');
    try {
      const translation = await requestTranslation(translationsUrl, language, {
        signal: controller.signal,
        onSegments: (arrived) =>
          setStreaming((s) => {
            if (!s) return s;
            const texts = s.texts.slice();
            let received = s.received;
            for (const { index, text } of arrived) {
              if (index < 0 || index >= texts.length) continue;
              if (texts[index] === undefined) received++;
              texts[index] = text;
            }
            return { ...s, texts, received };
          }),
      });
      setAdded((list) => (list.some((t) => t.id === translation.id) ? list : [...list, translation]));
      setVersion(translation.id);
      return true;
    } catch (caught) {
      setVersion((v) => (v === 'streaming' ? before : v));
      if (!isAbort(caught)) setError(readableError(caught as Error));
      return false;
    } finally {
      if (stop.current === controller) stop.current = null;
      setStreaming(null);
    }
  };

  const subjectWord = subject === 'video' ? 'video' : 'recording';
  if (segments.length === 0) {
    return (
      <div data-testid="transcript-panel" data-lines={0} className="flex flex-col gap-2">
        <p data-testid="transcript-empty" className="rounded-lg bg-zinc-50 px-3 py-2 text-sm text-zinc-600 dark:bg-zinc-800/60 dark:text-zinc-300">
          No speech was heard in this {subjectWord}.
        </p>
      </div>
    );
  }

  const shownVersion: Version = version === 'streaming' ? (streaming ? 'streaming' : 'original') : version;
  const translation = translations.find((t) => t.id === shownVersion) ?? null;
  const texts: readonly (string | undefined)[] | null = shownVersion === 'streaming' ? streaming!.texts : translation ? translation.texts : null;
  // A translation still arriving has nothing to download yet.
  const downloadable = shownVersion === 'streaming' ? undefined : (translation?.id ?? null);
  const spoken = languageLabel(transcript.language);

  return (
    <div
      data-testid="transcript-panel"
      data-lines={segments.length}
      data-version={shownVersion}
      data-translating={streaming !== null}
      className="flex min-w-0 flex-col gap-2"
    >
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1.5 text-xs text-zinc-500 dark:text-zinc-400">
        <span className="flex items-center gap-2">
          {spoken && (
            <>
              <span className="sr-only">Spoken language:</span>
              <span
                data-testid="transcript-language"
                title="Spoken language, as the transcription heard it"
                className="rounded-full bg-zinc-100 px-2 py-0.5 font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200"
              >
                {spoken}
              </span>
            </>
          )}
          <span>
            {segments.length.toLocaleString('en-US')} {segments.length === 1 ? 'line' : 'lines'}
          </span>
        </span>
        {downloadable !== undefined && <Downloads transcriptUrl={transcriptUrl} translationId={downloadable} />}
      </div>

      {(translations.length > 0 || streaming) && (
        <div role="group" aria-label="Transcript version" className="flex flex-wrap gap-1">
          <VersionButton testId="transcript-original-tab" pressed={shownVersion === 'original'} onClick={() => setVersion('original')}>
            Original
          </VersionButton>
          {translations.map((t) => (
            <VersionButton
              key={t.id}
              testId="translation-tab"
              pressed={shownVersion === t.id}
              onClick={() => setVersion(t.id)}
              data={{ 'data-translation-id': t.id, 'data-language': t.language }}
            >
              {languageLabel(t.language) ?? t.language}
            </VersionButton>
          ))}
          {streaming && (
            <VersionButton
              testId="translation-tab-streaming"
              pressed={shownVersion === 'streaming'}
              onClick={() => setVersion('streaming')}
              data={{ 'data-language': streaming.language }}
            >
              {languageLabel(streaming.language) ?? streaming.language}…
            </VersionButton>
          )}
        </div>
      )}

      <ol
        ref={list}
        data-testid="transcript-lines"
        aria-label={translation ? `Transcript in ${languageLabel(translation.language)}` : shownVersion === 'streaming' ? 'Transcript, being translated' : 'Transcript'}
        onWheel={userScrolled}
        onTouchMove={userScrolled}
        onPointerDown={(e) => e.target === e.currentTarget && userScrolled()}
        onKeyDown={(e: KeyboardEvent) => scrollKeys.has(e.key) && userScrolled()}
        className="relative -mx-1 flex max-h-80 flex-col overflow-y-auto overscroll-contain px-1 py-0.5"
      >
        {segments.map((segment, index) => {
          const text = texts ? texts[index] : segment.text;
          return (
            <TranscriptLine
              key={index}
              index={index}
              startMs={segment.startMs}
              text={text ?? segment.text}
              pending={text === undefined}
              active={index === active}
              onSelect={select}
            />
          );
        })}
      </ol>

      {translationsUrl && <TranslateForm busy={streaming !== null} onTranslate={translate} />}
      {streaming && (
        <div className="flex flex-col gap-1.5">
          <div className="flex items-center justify-between gap-3 text-sm">
            <span data-testid="translate-progress" data-received={streaming.received} data-total={segments.length} className="tabular-nums">
              Translating into {languageLabel(streaming.language)}… {streaming.received} / {segments.length}
            </span>
            <button type="button" data-testid="translate-stop" onClick={() => stop.current?.abort()} className={buttonClass}>
              Stop
            </button>
          </div>
          <ProgressBar
            value={segments.length > 0 ? streaming.received / segments.length : 0}
            label={`Translating into ${languageLabel(streaming.language)}`}
            testId="translate-progress-bar"
            className="bg-zinc-200 dark:bg-zinc-700"
          />
        </div>
      )}
      {error && (
        <p role="alert" data-testid="translate-error" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

/** One line: its start and what is said; choosing it plays from there. Memoised: playing re-renders only the lines whose state changes. */
const TranscriptLine = memo(function TranscriptLine(props: {
  index: number;
  startMs: number;
  text: string;
  pending: boolean;
  active: boolean;
  onSelect: (index: number) => void;
}) {
  const { index, startMs, text, pending, active, onSelect } = props;
  return (
    <li>
      <button
        type="button"
        data-testid="transcript-line"
        data-index={index}
        data-start-ms={startMs}
        data-active={active}
        data-pending={pending || undefined}
        aria-current={active ? 'time' : undefined}
        onClick={() => onSelect(index)}
        className={`flex w-full items-baseline gap-2.5 rounded-md px-1.5 py-1 text-left focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${
          active ? 'bg-sky-100 dark:bg-sky-950' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'
        }`}
      >
        <span className={`w-12 shrink-0 font-mono text-xs tabular-nums ${active ? 'text-sky-800 dark:text-sky-300' : 'text-zinc-500 dark:text-zinc-400'}`}>
          {formatClock(startMs)}
        </span>
        <span className={`min-w-0 flex-1 text-sm break-words ${pending ? 'text-zinc-400 italic dark:text-zinc-500' : ''}`}>{text}</span>
      </button>
    </li>
  );
});

function VersionButton(props: { testId: string; pressed: boolean; onClick: () => void; data?: Record<string, string>; children: ReactNode }) {
  const { testId, pressed, onClick, data, children } = props;
  return (
    <button
      type="button"
      data-testid={testId}
      aria-pressed={pressed}
      onClick={onClick}
      {...data}
      className={`rounded-full px-2.5 py-0.5 text-xs font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${
        pressed
          ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900'
          : 'bg-zinc-100 text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-700'
      }`}
    >
      {children}
    </button>
  );
}

const formats: TranscriptFormat[] = ['txt', 'srt', 'vtt'];

function Downloads({ transcriptUrl, translationId }: { transcriptUrl: string; translationId: string | null }) {
  return (
    <span className="flex items-center gap-1">
      <span>Download</span>
      {formats.map((format) => (
        <a
          key={format}
          href={transcriptDownloadHref(transcriptUrl, format, translationId)}
          download
          data-testid={`download-${format}`}
          aria-label={`Download ${translationId ? 'this translation' : 'the transcript'} as ${format.toUpperCase()}`}
          className="rounded px-1.5 py-0.5 font-medium text-sky-700 uppercase hover:bg-sky-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400 dark:hover:bg-sky-950"
        >
          {format}
        </a>
      ))}
    </span>
  );
}

/** The language to translate into: typed, or picked from common ones. */
function TranslateForm({ busy, onTranslate }: { busy: boolean; onTranslate: (language: string) => Promise<boolean> }) {
  const [language, setLanguage] = useState('');
  const listId = useId();
  const inputId = useId();
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const chosen = language.trim();
        if (!chosen || busy) return;
        // Kept after a failure, to correct or try again.
        if (await onTranslate(chosen)) setLanguage((typed) => (typed.trim() === chosen ? '' : typed));
      }}
    >
      <label htmlFor={inputId} className="sr-only">
        Language to translate into
      </label>
      <input
        id={inputId}
        data-testid="translate-input"
        list={listId}
        value={language}
        onChange={(e) => setLanguage(e.target.value)}
        maxLength={60}
        placeholder="Translate into… e.g. French"
        autoComplete="off"
        className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm placeholder:text-zinc-400 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-900"
      />
      <datalist id={listId}>
        {commonLanguages.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <button type="submit" data-testid="translate-button" disabled={busy || !language.trim()} className={buttonClass}>
        Translate
      </button>
    </form>
  );
}
