import { readFileSync } from 'node:fs';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { SLACK_LIMITS, type SlackBlock, type SlackPayload } from '../../lambda/notify/slackBlocks';
import { slackPayload } from '../../lambda/notify/slackPayload';
import { inertCode, inertMrkdwn, inertPlainText, truncate } from '../../lambda/notify/slackText';
import { OWN_SCENARIOS, SHARED_SCENARIOS } from '../helpers/paths';
import { REQUIRE_OWNER_ACL, s3Record, snapshot } from '../factories';
import { loadScenarios, type Scenario } from '../helpers/scenarios';

function diagnosisOf(scenario: Scenario) {
  const request = parseEvent(readEventDocument(readFileSync(scenario.event))).requests[0]!;
  return diagnose(request, parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8'))));
}

function payloadOf(scenario: Scenario): SlackPayload {
  return slackPayload(diagnosisOf(scenario));
}

function texts(block: SlackBlock): { type: string; text: string }[] {
  if (block.type === 'header') return [block.text];
  if (block.type === 'section') return [...(block.text ? [block.text] : []), ...(block.fields ?? [])];
  if (block.type === 'context') return block.elements;
  if (block.type === 'actions') return block.elements.map((e) => e.text);
  return [];
}

/** Every limit Slack enforces on what we send; an empty list means Slack accepts it. */
function limitProblems(payload: SlackPayload): string[] {
  const problems: string[] = [];
  if (payload.blocks.length > SLACK_LIMITS.blocks) problems.push(`${payload.blocks.length} blocks`);
  if (payload.text.length > SLACK_LIMITS.fallbackText) problems.push('fallback text too long');
  for (const block of payload.blocks) {
    if (block.type === 'header' && block.text.text.length > SLACK_LIMITS.headerText) problems.push('header too long');
    if (block.type === 'section') {
      if (block.text && block.text.text.length > SLACK_LIMITS.sectionText) problems.push('section text too long');
      if ((block.fields?.length ?? 0) > SLACK_LIMITS.fields) problems.push('too many fields');
      for (const field of block.fields ?? []) if (field.text.length > SLACK_LIMITS.field) problems.push('field too long');
    }
    if (block.type === 'context' && block.elements.length > SLACK_LIMITS.contextElements) problems.push('too many context elements');
    for (const text of texts(block)) if (text.text.length === 0) problems.push(`empty ${text.type}`);
  }
  return problems;
}

const scenarios = [...loadScenarios(SHARED_SCENARIOS), ...loadScenarios(OWN_SCENARIOS)].filter((s) => !s.expected.exitCode);

describe('the Slack payload', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('is valid JSON within Slack’s limits: %s', (_name, scenario) => {
    const payload = payloadOf(scenario);
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
    expect(limitProblems(payload)).toEqual([]);
    expect(payload.blocks[0]?.type).toBe('header');
  });

  describe('built from a hostile key, session name and user agent', () => {
    const hostile = scenarios.find((s) => s.name === 'hostile-key-session-and-user-agent')!;
    const payload = payloadOf(hostile);
    const all = [payload.text, ...payload.blocks.flatMap(texts).map((t) => t.text)];

    it('stays within Slack’s limits', () => {
      expect(limitProblems(payload)).toEqual([]);
    });

    it.each(['<!channel>', '<!here>', '<@U123>', '<https://evil.example|x>'])('carries no live %s anywhere', (live) => {
      for (const text of all) expect(text).not.toContain(live);
    });

    // Clients link neither URLs nor @here inside a code block, and what is there must paste as it is.
    it.each(['https://evil', 'www.evil', '@here'])('carries no live %s outside code blocks', (live) => {
      for (const text of all) expect(text.replace(/```[\s\S]*?```/g, '')).not.toContain(live);
    });

    it('says a command it cannot show exactly is not to be pasted from the message', () => {
      expect(JSON.stringify(payload.blocks)).toContain('not shown exactly here');
    });

    it('keeps untrusted words out of live mrkdwn: formatting characters in mrkdwn only come from us or sit in code blocks', () => {
      const mrkdwn = payload.blocks.flatMap(texts).filter((t) => t.type === 'mrkdwn');
      for (const { text } of mrkdwn) {
        const outsideCode = text.replace(/```[\s\S]*?```/g, '');
        expect(outsideCode).not.toMatch(/(^|[^\u200b])[_~`]/);
        expect(
          outsideCode.replace(/^\*(Who|What|When|From|Verdict|Fix \d+ \([^)*]*\)|Command|Statement [^*]*|Deciding statement)\*/, ''),
        ).not.toMatch(/(^|[^\u200b])\*[^\u200b]/);
      }
    });

    it('cannot close a code block early', () => {
      for (const block of payload.blocks) {
        if (block.type !== 'section' || block.text?.type !== 'mrkdwn') continue;
        expect(block.text.text.match(/```/g)?.length ?? 0).toBeLessThanOrEqual(2);
      }
    });
  });

  describe('built from a key with links, mentions and a file URL in it', () => {
    const key = 'drop/<!channel> https://evil.example/@here & file://x.csv';
    const request = parseEvent(s3Record({}, { key })).requests[0]!;
    const account = snapshot({}, { policy: REQUIRE_OWNER_ACL });
    const diagnosis = diagnose(request, account);
    const payload = slackPayload(diagnosis);

    it('pastes each fix’s command exactly: nothing inserted into a code block', () => {
      const codeBlocks = payload.blocks
        .flatMap(texts)
        .flatMap((t) => [...t.text.matchAll(/```([\s\S]*?)```/g)].map((m) => m[1]!))
        .map((code) => code.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
      const commands = diagnosis.fixes.flatMap((f) => (f.command ? [f.command] : []));
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(codeBlocks).toContain(command);
      expect(JSON.stringify(payload.blocks)).not.toContain('not shown exactly here');
    });

    it('still carries no live mention or link', () => {
      for (const text of payload.blocks.flatMap(texts).map((t) => t.text)) {
        expect(text).not.toContain('<!channel>');
        expect(text.replace(/```[\s\S]*?```/g, '')).not.toContain('https://evil');
      }
    });
  });
});

describe('the CloudTrail console link', () => {
  const scenario = scenarios.find((s) => s.name === 'bucket-policy-denies-plain-http')!;
  const diagnosisIn = (region: string) => {
    const record = JSON.parse(readFileSync(scenario.event, 'utf8').replaceAll('eu-west-1', region)) as unknown;
    const request = parseEvent(record).requests[0]!;
    return diagnose(request, parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8'))));
  };
  /** The same denial as a KMS call: a management event, which Event history holds. */
  const linkIn = (region: string) => {
    const diagnosis = diagnosisIn(region);
    const payload = slackPayload({ ...diagnosis, event: { ...diagnosis.event, source: 'kms.amazonaws.com', name: 'GenerateDataKey' } });
    return JSON.stringify(payload).match(/https:\/\/[^"|>]*cloudtrailv2[^"|>]*/)?.[0];
  };

  it('is not offered for an S3 upload, a data event Event history never holds; the log files are named instead (#25)', () => {
    const text = JSON.stringify(slackPayload(diagnosisIn('eu-west-1')));
    expect(text).not.toContain('cloudtrailv2');
    expect(text).toContain('AWSLogs/210987654321/CloudTrail/eu-west-1/2026/11/18/');
    expect(text).toContain('never shows');
  });

  // Each partition has its own console; a commercial link would not open for a GovCloud or China user.
  it.each([
    ['us-east-1', 'https://us-east-1.console.aws.amazon.com/cloudtrailv2/'],
    ['us-gov-west-1', 'https://console.amazonaws-us-gov.com/cloudtrailv2/'],
    ['cn-north-1', 'https://console.amazonaws.cn/cloudtrailv2/'],
  ])('opens the console of %s', (region, prefix) => {
    expect(linkIn(region)).toMatch(new RegExp(`^${prefix.replaceAll('.', '\\.')}home\\?region=${region}#/events/`));
  });
});

describe('inert text', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['a & b', 'a &amp; b'],
    ['@here', '@\u200bhere'],
    ['https://x.example', 'https:\u200b//x.example'],
  ])('plain text: %p → %p', (input, output) => {
    expect(inertPlainText(input)).toBe(output);
  });

  it('splits formatting characters in mrkdwn and replaces backticks in code', () => {
    expect(inertMrkdwn('*b*')).toBe('\u200b*\u200bb\u200b*\u200b');
    expect(inertCode('``` x')).toBe('ˋˋˋ x');
  });

  it('truncates with a note and never cuts an escape sequence in half', () => {
    const cut = truncate(`${'x'.repeat(60)}&amp;${'y'.repeat(100)}`, 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/… \(truncated, 165 characters in all\)$/);
    expect(cut).not.toMatch(/&(a|am|amp)?\s…/);
  });
});
