/**
 * What a step changes in a policy, statement by statement: added, removed, and edited in place (the same
 * Sid, or the same position for a statement without one). People approve this diff, the guards check the
 * statements it adds or edits, and the second-approver rule weighs them: an edit is as much a change as an
 * append.
 */
import type { PlanStep } from '../model/remediationPlan';
import { newDocumentOf, previousDocumentOf } from './stepDocuments';

export interface StatementDiff {
  added: unknown[];
  removed: unknown[];
  edited: { before: unknown; after: unknown }[];
}

function statementsIn(document: unknown): unknown[] {
  const list = (document as { Statement?: unknown } | null)?.Statement;
  return Array.isArray(list) ? list : list ? [list] : [];
}

function sidOf(statement: unknown): string | null {
  const sid = (statement as { Sid?: unknown } | null)?.Sid;
  return typeof sid === 'string' ? sid : null;
}

/** @example documentDiff(before, after).edited.length // 1 for a Deny that gained an exemption */
export function documentDiff(before: unknown, after: unknown): StatementDiff {
  const old = statementsIn(before);
  const next = statementsIn(after);
  const diff: StatementDiff = { added: [], removed: [], edited: [] };
  const matched = new Set<number>();
  next.forEach((statement, i) => {
    const sid = sidOf(statement);
    const at = sid !== null ? old.findIndex((s) => sidOf(s) === sid) : sidOf(old[i]) === null && i < old.length ? i : -1;
    if (at < 0 || matched.has(at)) {
      diff.added.push(statement);
      return;
    }
    matched.add(at);
    if (JSON.stringify(old[at]) !== JSON.stringify(statement)) diff.edited.push({ before: old[at], after: statement });
  });
  old.forEach((statement, i) => {
    if (!matched.has(i)) diff.removed.push(statement);
  });
  return diff;
}

export function stepDiff(step: PlanStep): StatementDiff {
  return documentDiff(previousDocumentOf(step), newDocumentOf(step));
}

/** The statements a step puts in force that were not there before: the added ones and the edits. */
export function changedStatementsOf(step: PlanStep): unknown[] {
  const diff = stepDiff(step);
  return [...diff.added, ...diff.edited.map((e) => e.after)];
}

/** The diff as a person reads it: `+` added, `-` removed, `~` before and after of an edit, JSON laid out. */
export function diffText(diff: StatementDiff, render: (value: unknown) => string = (v) => JSON.stringify(v, null, 2)): string {
  const block = (mark: string, value: unknown) =>
    render(value)
      .split('\n')
      .map((line) => `${mark} ${line}`);
  return [
    ...diff.added.flatMap((s) => block('+', s)),
    ...diff.removed.flatMap((s) => block('-', s)),
    ...diff.edited.flatMap((e) => [...block('-', e.before), ...block('+', e.after)]),
  ].join('\n');
}
