/**
 * Chat bubbles for a terminal. Terminals draw characters left to right in the order they are
 * written, so Hebrew and Arabic must be put in display order first: each paragraph goes through
 * the Unicode Bidirectional Algorithm (bidi-js), is wrapped in logical order, and each line is then
 * reordered on its own, as the algorithm prescribes (UAX #9, L1–L4). Right-to-left paragraphs are
 * right-aligned inside the bubble.
 */
import bidiModule from 'bidi-js';
import stringWidth from 'string-width';

// bidi-js is CommonJS whose module.exports is the factory; its types declare an ES default export.
const bidi = (bidiModule as unknown as typeof bidiModule.default)();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Marks, embeddings, overrides and isolates: they steer the algorithm and must not reach the terminal. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A paragraph's line in display order, and whether its paragraph runs right to left. */
export interface VisualLine {
  text: string;
  rtl: boolean;
}

/** `text` as lines of at most `width` columns, in the order a terminal must draw them. */
export function visualLines(text: string, width: number): VisualLine[] {
  return text.split('\n').flatMap((text) => {
    // bidi-js classifies UTF-16 units, and takes each half of an emoji for a left-to-right letter
    // (which would make "🔔 עדכון" a left-to-right paragraph). Characters beyond the BMP stand in
    // as two neutral units of the same length, so every index still matches the text.
    const paragraph = text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '\uFFFC\uFFFC');
    const levels = bidi.getEmbeddingLevels(paragraph);
    const rtl = (levels.paragraphs[0]?.level ?? 0) % 2 === 1;
    return wrap(text, width).map(([start, end]) => ({ text: reorderLine(text, paragraph, levels, start, end), rtl }));
  });
}

interface Cluster {
  /** Index of its first UTF-16 unit in the paragraph. */
  index: number;
  text: string;
}

/**
 * One line (`start`..`end` inclusive) in display order. Reversals move whole grapheme clusters,
 * so an emoji's surrogate pair or a letter's marks stay together; mirrored characters (brackets)
 * are swapped where they resolve right to left. `paragraph` is `text` as the levels were computed on.
 */
function reorderLine(
  text: string,
  paragraph: string,
  levels: ReturnType<typeof bidi.getEmbeddingLevels>,
  start: number,
  end: number,
): string {
  if (end < start) return '';
  const mirrored = bidi.getMirroredCharactersMap(paragraph, levels.levels, start, end);
  const clusters: Cluster[] = [...graphemes.segment(text.slice(start, end + 1))].map(({ index, segment }) => ({
    index: start + index,
    text: mirrored.get(start + index) ?? segment,
  }));
  for (const [from, to] of bidi.getReorderSegments(paragraph, levels, start, end)) {
    const first = clusters.findIndex((c) => c.index >= from);
    const last = clusters.findLastIndex((c) => c.index <= to);
    if (first < 0 || last <= first) continue;
    clusters.splice(first, last - first + 1, ...clusters.slice(first, last + 1).reverse());
  }
  return clusters
    .map((c) => c.text)
    .join('')
    .replace(BIDI_CONTROLS, '');
}

/** Logical line ranges (inclusive indices) of at most `width` columns, broken after spaces. */
function wrap(paragraph: string, width: number): Array<[number, number]> {
  if (paragraph === '') return [[0, -1]];
  const lines: Array<[number, number]> = [];
  let lineStart = 0;
  let lineWidth = 0;
  let lastBreak = -1;
  for (const { index, segment } of graphemes.segment(paragraph)) {
    const columns = stringWidth(segment.replace(BIDI_CONTROLS, ''));
    if (lineWidth + columns > width && index > lineStart && segment !== ' ') {
      // Break after the last space when there is one on this line, else inside the word.
      const breakAt = lastBreak >= lineStart ? lastBreak : index - 1;
      // The space a line breaks at is not drawn.
      lines.push([lineStart, paragraph[breakAt] === ' ' ? breakAt - 1 : breakAt]);
      lineStart = breakAt + 1;
      lineWidth = stringWidth(paragraph.slice(lineStart, index).replace(BIDI_CONTROLS, ''));
    }
    lineWidth += columns;
    if (segment === ' ') lastBreak = index;
  }
  lines.push([lineStart, paragraph.length - 1]);
  return lines;
}

export interface BubbleOptions {
  /** The terminal's width in columns. */
  columns: number;
  /** Which side of the screen the bubble sits on. */
  side: 'left' | 'right';
  /** A line under the bubble (sender and time, buttons). */
  footer?: string;
}

/** A framed bubble, as the lines to print. */
export function bubble(text: string, options: BubbleOptions): string[] {
  const inner = Math.max(10, Math.min(60, Math.floor(options.columns * 0.7) - 4));
  const lines = visualLines(text.trimEnd(), inner);
  const contentWidth = Math.max(...lines.map((l) => stringWidth(l.text)), stringWidth(options.footer ?? '') - 4, 1);
  const pad = (line: VisualLine) => {
    const gap = ' '.repeat(contentWidth - stringWidth(line.text));
    return line.rtl ? `${gap}${line.text}` : `${line.text}${gap}`;
  };
  const box = [`╭${'─'.repeat(contentWidth + 2)}╮`, ...lines.map((line) => `│ ${pad(line)} │`), `╰${'─'.repeat(contentWidth + 2)}╯`];
  const boxWidth = contentWidth + 4;
  if (options.footer) {
    const gap = ' '.repeat(Math.max(0, boxWidth - stringWidth(options.footer)));
    box.push(options.side === 'right' ? `${gap}${options.footer}` : options.footer);
  }
  const margin = options.side === 'right' ? ' '.repeat(Math.max(0, options.columns - boxWidth - 1)) : '';
  return box.map((line) => `${margin}${line}`);
}
