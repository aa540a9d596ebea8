import { MAX_AMOUNT, fromCents, toCents } from '../../../services/kit/money';

describe('toCents', () => {
  it.each([
    [19.99, 1999],
    [0.29, 29],
    [0.1, 10],
    [1.1, 110],
    [100, 10000],
    [0.01, 1],
    [MAX_AMOUNT, MAX_AMOUNT * 100],
  ])('%p is %p cents, exactly', (amount, cents) => {
    expect(toCents(amount)).toBe(cents);
  });

  it.each([[0], [-1], [0.001], [1.005], [19.999], [1e-7], [MAX_AMOUNT + 0.01], [1e21], [NaN], [Infinity]])(
    'rejects %p',
    (amount) => {
      expect(toCents(amount)).toBeUndefined();
    },
  );

  it('sees the digits the client sent, where float arithmetic would not', () => {
    // 0.29 * 100 is 28.999999999999996 in binary floating point, and 1.005 * 100 is 100.49999999999999.
    expect(Math.floor(0.29 * 100)).toBe(28);
    expect(toCents(JSON.parse('0.29'))).toBe(29);
    expect(toCents(JSON.parse('1.005'))).toBeUndefined();
  });
});

describe('fromCents', () => {
  it('gives back the decimal amount', () => {
    expect(fromCents(1999)).toBe(19.99);
    expect(fromCents(5)).toBe(0.05);
    expect(fromCents(30)).toBe(0.3);
    expect(JSON.stringify(fromCents(10 + 20))).toBe('0.3');
  });
});
