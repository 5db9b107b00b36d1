/**
 * Every worked denial moved to GovCloud and to China must give the same diagnosis: the engine builds and
 * matches ARNs in the record's partition (`arn:aws-us-gov:`, `arn:aws-cn:`), never `arn:aws:`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
import { readFileSync } from 'node:fs';
import { diagnose, type Diagnosis, parseEvent, parseSnapshot } from '../lambda';
import { hasSharedScenarios, OWN_SCENARIOS, SHARED_SCENARIOS } from './helpers/paths';
import { loadScenarios, type Scenario } from './helpers/scenarios';

interface Partition {
  name: string;
  /** The commercial regions the scenarios use, renamed to ones of the partition; distinct stay distinct. */
  regions: Record<string, string>;
  prefix: string;
}

const PARTITIONS: Partition[] = [
  { name: 'aws-us-gov', prefix: 'us-gov-', regions: { 'us-east-1': 'us-gov-east-1', 'us-west-2': 'us-gov-west-1' } },
  { name: 'aws-cn', prefix: 'cn-', regions: { 'us-east-1': 'cn-north-1', 'us-west-2': 'cn-northwest-1' } },
];

const COMMERCIAL_REGION = /\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:[a-z]+-)+\d\b/g;

function moveTo(partition: Partition, text: string): string {
  const region = (r: string) => partition.regions[r] ?? `${partition.prefix}${r}`;
  return text.replaceAll('arn:aws:', `arn:${partition.name}:`).replace(COMMERCIAL_REGION, region);
}

/** The way back, so what the engine wrote in the partition compares with what it wrote in `aws`. */
function moveBack(partition: Partition, text: string): string {
  const original = new Map(Object.entries(partition.regions).map(([commercial, moved]) => [moved, commercial]));
  const movedRegion = new RegExp(`\\b${partition.prefix}(?:[a-z]+-)+\\d\\b`, 'g');
  const region = (r: string) => original.get(r) ?? r.slice(partition.prefix.length);
  return text.replaceAll(`arn:${partition.name}:`, 'arn:aws:').replace(movedRegion, region);
}

function diagnosesOf(eventText: string, snapshotText: string): Diagnosis[] {
  const snapshot = parseSnapshot(JSON.parse(snapshotText));
  return parseEvent(JSON.parse(eventText)).requests.map((request) => diagnose(request, snapshot));
}

/** What a reader acts on. */
function essentials(diagnosis: Diagnosis) {
  const deciding = diagnosis.decidingLayers.map((d) => ({
    layer: d.layer,
    action: d.action,
    resource: d.resource,
    decision: d.decision,
    explanation: d.explanation,
    sid: d.statement?.sid ?? null,
    conditions: d.conditions.map((c) => `${c.operator} ${c.key}`),
  }));
  const summary = {
    verdict: diagnosis.verdict,
    confidence: diagnosis.confidence,
    deciding,
    layers: diagnosis.layers.map((l) => `${l.layer}:${l.result}`),
    notVisible: diagnosis.notVisible.map((n) => n.layer),
    fixes: diagnosis.fixes.map((f) => [f.owner, f.summary, f.command ?? null, f.policyPatch ?? null]),
  };
  return JSON.stringify(summary);
}

const diagnosable = (scenario: Scenario) => (scenario.expected.exitCode ?? 0) === 0;
const scenarios = [...loadScenarios(OWN_SCENARIOS), ...(hasSharedScenarios ? loadScenarios(SHARED_SCENARIOS) : [])].filter(diagnosable);

describe.each(PARTITIONS)('every scenario moved to $name', (partition) => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s gives the same diagnosis', (_name, scenario) => {
    const eventText = readFileSync(scenario.event, 'utf8');
    const snapshotText = readFileSync(scenario.snapshot, 'utf8');
    const commercial = diagnosesOf(eventText, snapshotText);
    const moved = diagnosesOf(moveTo(partition, eventText), moveTo(partition, snapshotText));

    expect(moved.map((d) => moveBack(partition, essentials(d)))).toEqual(commercial.map(essentials));
    const written = JSON.stringify(moved);
    expect(written).not.toContain('arn:aws:');
  });
});
