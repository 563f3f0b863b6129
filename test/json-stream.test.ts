import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { jsonChunks, LazyList } from '../src/core/json-stream.ts';

describe('jsonChunks', () => {
  it('joins to exactly JSON.stringify(value, null, 2), at any depth (property-based)', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: true }));
    const tree = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 5 }), fc.dictionary(fc.string(), tie('v'), { maxKeys: 5 })) })).v;
    fc.assert(
      fc.property(fc.dictionary(fc.string(), tree, { maxKeys: 6 }), (doc) => {
        assert.equal([...jsonChunks(doc)].join(''), JSON.stringify(doc, null, 2));
      }),
      { numRuns: 500 },
    );
    const deep = { a: [{ b: [{ c: { d: [1, { e: 'x\ny', f: [undefined, new Date(0)] }] } }] }], g: [] };
    assert.equal([...jsonChunks(deep)].join(''), JSON.stringify(deep, null, 2));
    // OSCAL nests its longest lists five levels down: a long list deep in the document is walked element by element.
    const oscalLike = { 'assessment-results': { results: [{ observations: Array.from({ length: 2500 }, (_, i) => ({ uuid: String(i), props: [{ name: 'n', value: `v\n${i}` }] })) }] } };
    const chunks = [...jsonChunks(oscalLike)];
    assert.equal(chunks.join(''), JSON.stringify(oscalLike, null, 2));
    assert.ok(chunks.length > 2500, 'the long list is not one string');
  });

  it('writes a LazyList as the array it stands for, making each item only while writing it', () => {
    let made = 0;
    const list = new LazyList(3, function* () {
      for (let i = 0; i < 3; i++) {
        made++;
        yield { n: i, nested: [i, { deep: 'x' }] };
      }
    });
    const doc = { a: { b: { c: { d: { list, empty: new LazyList(0, () => []) } } } } };
    const chunks = jsonChunks(doc);
    assert.equal(made, 0, 'nothing made before writing');
    const text = [...chunks].join('');
    assert.equal(text, JSON.stringify({ a: { b: { c: { d: { list: [...list], empty: [] } } } } }, null, 2));
    assert.equal(made, 6, 'made once for the text, once more for the comparison above');
  });

  it('walks a small value that holds a LazyList instead of making the list whole in the native stringify', () => {
    // As an OSCAL finding's related observations: a short list of findings, each with a long lazy list inside.
    let made = 0;
    const related = new LazyList(5000, function* () {
      for (let i = 0; i < 5000; i++) {
        made++;
        yield { 'observation-uuid': `obs-${i}` };
      }
    });
    const doc = { a: { b: [{ findings: [{ uuid: 'f-1', related }] }] } };
    let madeWhenFirstWritten = -1;
    const parts: string[] = [];
    for (const chunk of jsonChunks(doc)) {
      if (madeWhenFirstWritten < 0 && chunk.includes('obs-0')) madeWhenFirstWritten = made;
      parts.push(chunk);
    }
    assert.ok(madeWhenFirstWritten >= 1 && madeWhenFirstWritten <= 2, `the first observation was written after ${madeWhenFirstWritten} of 5000 were made`);
    assert.equal(parts.join(''), JSON.stringify(doc, null, 2), 'the same text');
    assert.equal(JSON.stringify(related).length > 0, true, 'outside jsonChunks a LazyList still stringifies whole');
  });
});
