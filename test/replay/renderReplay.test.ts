import { renderReplay } from '../../bin/renderReplay';
import { ReplaySummary } from '../../lambda/replay/ReplaySummary';
import type { Diagnosis } from '../../lambda';

function diagnosisWithKey(key: string): Diagnosis {
  return {
    diagnosisVersion: 1,
    event: {
      id: 'e',
      time: '2026-11-20T00:00:00Z',
      source: 's3.amazonaws.com',
      name: 'PutObject',
      errorCode: 'AccessDenied',
      errorMessage: null,
    },
    request: {
      principalArn: '=HYPERLINK("https://evil.example")',
      principalType: 'role',
      sessionArn: null,
      actions: ['s3:PutObject'],
      resources: [`arn:aws:s3:::b/${key}`],
      context: {},
    },
    verdict: 'implicit-deny',
    decidingLayers: [],
    layers: [],
    fixes: [{ summary: '+cmd|calc', owner: 'uploader' }],
    notVisible: [],
    confidence: 'certain',
    summary: '',
  };
}

describe('renderReplay csv', () => {
  it('defuses cells that a spreadsheet would run as formulas, and quotes commas and quotes', () => {
    const summary = new ReplaySummary();
    summary.add(diagnosisWithKey('k'));
    const row = renderReplay(summary, 'csv').split('\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""https://evil.example"")"`);
    expect(row).toContain("'+cmd|calc");
  });
});
