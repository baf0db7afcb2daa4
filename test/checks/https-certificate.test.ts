import { describe, expect, it } from 'vitest';
import { httpsCertificate } from '../../src/checks/https-certificate.js';
import { evidence, runCheck } from '../helpers/evidence.js';

const TLS = { 'x-xuncha-tls-error': 'HTTPS 证书无效：证书已过期（CERT_HAS_EXPIRED）' };

describe('https-certificate', () => {
  it('passes a site whose pages were read with a valid certificate (or over http)', () => {
    expect(runCheck(httpsCertificate, evidence({ resources: [{ path: '/a.html' }] }))).toEqual([]);
  });

  it('reports each own host once with the problem and examples, and ignores external sites', () => {
    const ev = evidence({
      resources: [
        { path: '/', headers: TLS },
        { path: '/zwgk/a.html', headers: TLS },
        { path: '/zwgk/b.html', headers: TLS },
        { path: '/zwgk/c.html', headers: TLS },
        { path: '/ok.html' },
        { path: '/ext', kind: 'external', headers: TLS },
      ],
    });
    const found = runCheck(httpsCertificate, ev);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      outcome: 'fail',
      kind: 'invalid-certificate',
      message: '网站 127.0.0.1:9 的 HTTPS 证书无效，访问者会看到安全警告',
      location: '共 4 个网址受影响',
    });
    expect(found[0]!.evidence).toMatch(
      /^HTTPS 证书无效：证书已过期（CERT_HAS_EXPIRED）；例：.*\/、.*a\.html、.*b\.html$/,
    );
  });
});
