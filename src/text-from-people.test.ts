import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneLine, wellFormed } from './text-from-people.js';

describe('text from people', () => {
  it('replaces lone surrogates, so the text can go into a URL', () => {
    const name = 'Ana \ud800 \udfff x\ud83d\ude00';
    assert.throws(() => encodeURIComponent(name));
    assert.equal(wellFormed(name), 'Ana \ufffd \ufffd x😀');
    assert.doesNotThrow(() => encodeURIComponent(wellFormed(name)));
  });

  it('removes control characters and bidirectional overrides, keeping newlines in messages', () => {
    assert.equal(wellFormed('a\u0000b\u0007c\u202Ed\ne\tf'), 'abcd\ne\tf');
  });

  it('puts a name on one line, with single spaces, cut at a whole character', () => {
    assert.equal(oneLine('  Luis \n\t  Pérez    Gómez '), 'Luis Pérez Gómez');
    assert.equal(oneLine('😀😀😀', 2), '😀😀');
  });
});
