import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError, ERRORS } from './errors.js';

describe('error catalogue', () => {
  it('is documented row for row in docs/errors.md', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*(\d{4})\s*\|/gm)].map(
      ([, code, status, close]) => [code, Number(status), Number(close)],
    );
    const catalogue = Object.entries(ERRORS).map(([code, e]) => [code, e.status, e.closeCode]);
    assert.deepEqual(rows, catalogue);
  });

  it('uses application close codes for sockets', () => {
    for (const error of Object.values(ERRORS)) assert.ok(error.closeCode >= 4000 && error.closeCode <= 4999);
  });

  it('gives each error its code, status and public message', () => {
    const error = new AppError('ROOM_EXPIRED');
    assert.equal(error.statusCode, 410);
    assert.deepEqual(error.toBody(), { code: 'ROOM_EXPIRED', message: ERRORS.ROOM_EXPIRED.message });
  });
});
