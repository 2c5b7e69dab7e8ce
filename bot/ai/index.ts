/**
 * Findo's text generation: Claude when an API key is configured, the deterministic rules otherwise.
 */
import { ClaudeTextGenerator, type TextGenerationLogger } from './claude.ts';
import { RuleBasedTextGenerator } from './rules.ts';
import type { TextGenerator } from './text-generator.ts';

export {
  ClaudeTextGenerator,
  DEFAULT_MODEL,
  type ClaudeTextGeneratorOptions,
  type TextGenerationFallback,
  type TextGenerationLogger,
} from './claude.ts';
export { RuleBasedTextGenerator, writePostByRules } from './rules.ts';
export type * from './text-generator.ts';

/** Options of `createTextGenerator`, usually from `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`, `FINDO_AI_MODEL`. */
export interface TextGeneratorOptions {
  /** Without a key, the rules answer everything. */
  apiKey?: string;
  /** Default: `ANTHROPIC_BASE_URL`, else Anthropic's. */
  baseURL?: string;
  /** Default `DEFAULT_MODEL`. */
  model?: string;
  /** Told why a Claude answer was replaced by the rules'. */
  logger?: TextGenerationLogger;
}

/** A Claude-backed generator when `apiKey` is set (falling back to the rules), the rules otherwise. */
export function createTextGenerator(options: TextGeneratorOptions = {}): TextGenerator {
  const apiKey = options.apiKey?.trim();
  if (!apiKey) return new RuleBasedTextGenerator();
  return new ClaudeTextGenerator({ apiKey, baseURL: options.baseURL, model: options.model, logger: options.logger });
}
