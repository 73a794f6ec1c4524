import { type LengthUnit, measure } from './length.js';
import { codePointLength } from './text.js';

/** How much room a summary has. Plain data, so a summarizer can cache or send it. */
export interface SummaryBudget {
  /** Most length units (see `unit`) the summary may take. */
  maxLength: number;
  unit: LengthUnit;
  /** A second, language-neutral cap in code points (the account's `maxSummaryChars`). */
  maxChars?: number;
  /** Most whole sentences. */
  maxSentences?: number;
}

/** Whether `text` fits the budget (both the unit length and the code-point cap). */
export function fits(text: string, budget: SummaryBudget): boolean {
  if (budget.maxChars !== undefined && codePointLength(text) > budget.maxChars) return false;
  return measure(text, budget.unit) <= budget.maxLength;
}
