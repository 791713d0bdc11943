import { closest, didYouMean } from './suggest';

describe('closest', () => {
  it.each<[string, string, readonly string[], string | undefined]>([
    ['one letter dropped', 'respnd', ['name', 'when', 'respond', 'times'], 'respond'],
    ['case ignored', 'Respond', ['respond'], 'respond'],
    ['two swapped letters', 'partnre', ['partner', 'protocol'], 'partner'],
    ['the closest of two', 'limt', ['limit', 'since'], 'limit'],
    ['nothing close', 'zzzzzz', ['respond', 'when'], undefined],
    ['a short word needs a near-exact match', 'ab', ['when'], undefined],
    ['no candidates', 'x', [], undefined],
  ])('%s', (_name, word, known, expected) => {
    expect(closest(word, known)).toBe(expected);
  });
});

describe('didYouMean', () => {
  it('says the suggestion with its prefix, or nothing', () => {
    expect(didYouMean('prot', ['port', 'host'], '--')).toBe(' (did you mean "--port"?)');
    expect(didYouMean('qqqqqq', ['port'])).toBe('');
  });
});
