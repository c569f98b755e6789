/** Words and times a question mentions, to pick the parts of a video or recording it is about. */

const STOPWORDS = new Set('the and for are was were what when where which who how does did this that with from there their they them into then than have has had about video frame scene show shows shown happen happens said says recording'.split(' '));

export function words(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((w) => !STOPWORDS.has(w)));
}

/** Seconds of every `m:ss` / `h:mm:ss` the question mentions ("what happens at 1:05?"). */
export function mentionedSeconds(question: string): number[] {
  return [...question.matchAll(/\b(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\b/g)].map((m) => Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]));
}

