import { describe, expect, it } from 'vitest';
import { futureDates } from '../../src/checks/future-dates.js';
import { evidence, runCheck, listPage } from '../helpers/evidence.js';

const article = (pub: string, body = '') =>
  `<html><head><meta name="ArticleTitle" content="通知"><meta name="PubDate" content="${pub}"></head><body><p>${body}</p></body></html>`;

describe('future-dates', () => {
  it('passes past dates and a policy period that reaches into the future', () => {
    const ev = evidence({
      pages: {
        '/a.html': article('2026-11-20 09:00', '本办法有效期自2026年1月1日至2028年12月31日。'),
        '/l/': listPage('通知公告', [{ title: 'a', date: '2026-11-24' }]),
      },
    });
    expect(runCheck(futureDates, ev)).toEqual([]);
  });

  it('warns on an article and a list item dated after the inspection date', () => {
    const ev = evidence({
      pages: {
        '/a.html': article('2027-03-01 09:00'),
        '/l/': listPage('通知公告', [{ title: '预发布的通知', date: '2026-12-30', href: './b.html' }]),
      },
    });
    const found = runCheck(futureDates, ev);
    expect(found.map((f) => [f.outcome, f.kind])).toEqual([
      ['warn', 'article'],
      ['warn', 'list-item'],
    ]);
    expect(found[0]!.message).toContain('2027-03-01');
  });
});
