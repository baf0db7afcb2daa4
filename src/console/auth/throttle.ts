/**
 * Failed logins counted per client address and per username: after `limit` failures within
 * `windowMs` either key is refused until its oldest failure leaves the window. Counting failures
 * (not requests) lets an office of 30 people behind one NAT address log in all morning, while a
 * guesser gets 5 tries a quarter of an hour. Kept in memory: a restart forgets it, which costs an
 * attacker a restart they cannot cause.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 15 * 60 * 1000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Milliseconds until the next try is allowed for any of the keys; 0 when allowed now. */
  blockedFor(keys: string[], now: number): number {
    let wait = 0;
    for (const key of keys) {
      const list = this.recent(key, now);
      if (list.length >= this.limit)
        wait = Math.max(wait, list[list.length - this.limit]! + this.windowMs - now);
    }
    return wait;
  }

  fail(keys: string[], now: number): void {
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
    // Bound memory against a flood of made-up usernames.
    if (this.failures.size > 10000)
      for (const k of [...this.failures.keys()].slice(0, 5000)) this.failures.delete(k);
  }

  /** A successful login clears its username's failures (not the address's). */
  succeed(key: string): void {
    this.failures.delete(key);
  }
}
