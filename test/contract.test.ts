import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHARED_DIR } from './helpers/paths';

const copies = ['diagnosis.schema.json', 'snapshot.schema.json', 'remediation.schema.json'];
const sharedContract = resolve(SHARED_DIR, 'contract');

(existsSync(sharedContract) ? describe : describe.skip)('the project copy of the contract schemas', () => {
  it.each(copies)('%s is identical to shared/contract', (file) => {
    const ours = JSON.parse(readFileSync(resolve(__dirname, 'contract', file), 'utf8'));
    const theirs = JSON.parse(readFileSync(resolve(sharedContract, file), 'utf8'));
    expect(ours).toEqual(theirs);
  });
});
