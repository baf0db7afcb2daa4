/** Build a valid 18-digit 居民身份证号 for tests (GB 11643 / ISO 7064 MOD 11-2 check character). */
export function validId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((a, d, i) => a + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}
