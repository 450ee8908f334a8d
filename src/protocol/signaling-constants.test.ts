import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERRORS } from '../errors.js';
import { CLOSE_CODES, FINAL_CLOSE_CODES } from './signaling-constants.js';

describe('signaling constants shared with the call page', () => {
  it('give each final close code the error whose close code it is in the catalogue', () => {
    for (const [closeCode, error] of Object.entries(FINAL_CLOSE_CODES)) {
      assert.equal(ERRORS[error].closeCode, Number(closeCode), error);
    }
  });

  it('close a restarting server with the catalogue’s code', () => {
    assert.equal(CLOSE_CODES.SERVER_RESTARTING, ERRORS.SERVER_RESTARTING.closeCode);
  });

  it('list every close code in docs/protocol.md', () => {
    const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Close codes'));
    const documented = new Set([...section.matchAll(/^\|\s*(\d{4})\b/gm)].map((match) => Number(match[1])));
    const used = [...Object.values(CLOSE_CODES), ...Object.keys(FINAL_CLOSE_CODES).map(Number)];
    assert.deepEqual(
      used.filter((code) => !documented.has(code)),
      [],
    );
  });
});
