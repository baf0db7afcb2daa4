import type { LinkRecord } from '../store/crawlData.js';

const EMPTY = Object.freeze([]) as unknown as string[];

/**
 * One copy of each distinct string of a unit's evidence. The same URL comes back from the store
 * as the resource's address, as the target of every link to it and as list items; the same link
 * text and meta value on every page. Read one by one, each would be its own copy.
 */
export class StringPool {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly lists = new Map<string, string[]>();

  /** The pooled copy of `s`. */
  intern(s: string): string;
  intern(s: string | undefined): string | undefined;
  intern(s: string | null): string | null;
  intern(s: string | null | undefined): string | null | undefined {
    if (s === null || s === undefined) return s;
    return this.values[this.id(s)]!;
  }

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The pooled string with this id, if any. */
  at(id: number): string {
    return this.values[id]!;
  }

  /**
   * One shared, frozen copy of a list of strings (a breadcrumb repeats on every page of a column).
   * Typed mutable for the page types that hold it; writing to it throws.
   */
  list(xs: readonly string[]): string[] {
    if (!xs.length) return EMPTY;
    const key = xs.join('\u0001');
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = Object.freeze(xs.map((x) => this.intern(x))) as string[]));
    return list;
  }

  /** The id of `s` if it was pooled, without pooling it. */
  find(s: string): number | undefined {
    return this.ids.get(s);
  }
}

/**
 * A unit's stored links as four columns of pool ids: a 100,000-page site has millions of links,
 * and one object per link was most of the check stage's memory. Iterating yields LinkRecords made
 * on the fly (short-lived), in the order the links were added.
 */
export class LinkTable implements Iterable<LinkRecord> {
  private fromIds = new Int32Array(1024);
  private toIds = new Int32Array(1024);
  private anchorIds = new Int32Array(1024);
  private tagIds = new Int32Array(1024);
  private count = 0;

  constructor(readonly pool: StringPool = new StringPool()) {}

  static of(links: Iterable<LinkRecord>, pool?: StringPool): LinkTable {
    const table = new LinkTable(pool);
    for (const l of links) table.add(l.fromUrl, l.toUrl, l.anchor, l.tag);
    return table;
  }

  get length(): number {
    return this.count;
  }

  add(fromUrl: string, toUrl: string, anchor: string, tag: string): void {
    if (this.count === this.fromIds.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.fromIds = grow(this.fromIds);
      this.toIds = grow(this.toIds);
      this.anchorIds = grow(this.anchorIds);
      this.tagIds = grow(this.tagIds);
    }
    const i = this.count++;
    this.fromIds[i] = this.pool.id(fromUrl);
    this.toIds[i] = this.pool.id(toUrl);
    this.anchorIds[i] = this.pool.id(anchor);
    this.tagIds[i] = this.pool.id(tag);
  }

  private record(i: number): LinkRecord {
    const p = this.pool;
    return {
      fromUrl: p.at(this.fromIds[i]!),
      toUrl: p.at(this.toIds[i]!),
      anchor: p.at(this.anchorIds[i]!),
      tag: p.at(this.tagIds[i]!),
    };
  }

  *[Symbol.iterator](): Iterator<LinkRecord> {
    for (let i = 0; i < this.count; i++) yield this.record(i);
  }

  /** The links pointing at each of `urls` (in link order), in one pass over the table. */
  linksToAny(urls: Iterable<string>): Map<string, LinkRecord[]> {
    const wanted = new Map<number, LinkRecord[]>();
    const out = new Map<string, LinkRecord[]>();
    for (const url of urls) {
      const id = this.pool.find(url);
      const list: LinkRecord[] = [];
      out.set(url, list);
      if (id !== undefined) wanted.set(id, list);
    }
    if (wanted.size) for (let i = 0; i < this.count; i++) wanted.get(this.toIds[i]!)?.push(this.record(i));
    return out;
  }

  /** The links pointing at `url`, in link order. */
  linksTo(url: string): LinkRecord[] {
    return this.linksToAny([url]).get(url)!;
  }
}
