import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, type CliResult } from '../helpers/cli.js';
import { openTestStore } from '../helpers/testStore.js';
import { readDocxText, readHyperlinks, readWorkbook, readZipEntries } from '../helpers/readBack.js';
import type { InspectionReport, ReportUnit } from '../../src/report/model.js';
import type { RecheckReport } from '../../src/report/recheck.js';
import { loadIndicatorSystem } from '../../src/scoring/indicatorSystem.js';
import { rankUnits, scoreUnit } from '../../src/scoring/scoreUnit.js';
import { describeAttachments } from '../../src/demo/attachments.js';
import { todayIso } from '../../src/pipeline.js';
import { WorkdayCalendar } from '../../src/workdays/calendar.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { countProblems } from '../../src/report/counts.js';
import type { Finding } from '../../src/checks/types.js';

/** -raw keeps a table cell's wrapped lines together; whitespace removed since lines wrap anywhere. */
const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' }).replace(
    /\s+/g,
    '',
  );

interface Planted {
  deadLinks?: { path: string; kind: string; status: number }[];
  catalogues?: { check: string; kind: string; outcome: string; path: string; item?: string }[];
  exposures?: { path: string; idCards: number; mobiles: number; addresses: number }[];
  interaction?: { kind: string; path: string }[];
  identity?: { kind: string; path: string }[];
  guides?: string[];
  lateDocuments?: string[];
  warnings?: { check: string; kind: string; path: string }[];
  disclosure?: { kind: string; outcome: string; path: string }[];
  clean?: string[];
  staleColumns?: string[];
  undatedColumns?: string[];
  blankColumns?: string[];
  robotsDisallowed?: string[];
  unavailable?: boolean;
}

const planted = parse(readFileSync('seeds/demo/planted.yaml', 'utf8')) as Record<string, Planted>;
// The demo's probes happen now, so the inspection date must be today (pages are dated relative to it).
const TODAY = todayIso();
let dir: string;
let cli: CliResult;
let report: InspectionReport;
let runDir: string;

const unitOf = (id: string): ReportUnit => report.units.find((u) => u.id === id)!;
/**
 * A URL's path as planted.yaml writes it: relative to the unit's own folder when the unit is a
 * column of the portal (/zwgk/bm/mzj/attach/a.xlsx → /attach/a.xlsx).
 */
const pathOf = (url: string) => {
  const path = new URL(url).pathname;
  const base = report.units
    .map((u) => new URL(u.startUrls[0]!).pathname.replace(/\/$/, ''))
    .filter((b) => b && path.startsWith(`${b}/`))
    .sort((a, b) => b.length - a.length)[0];
  return base ? path.slice(base.length) : path;
};
const fails = (u: ReportUnit, checkId: string) =>
  u.findings.filter((f) => f.checkId === checkId && f.outcome === 'fail');
/** Checks whose every finding, whatever its outcome, planted.yaml lists under `catalogues`. */
const CATALOGUE_CHECKS = [
  'catalogue-coverage',
  'catalogue-elements',
  'catalogue-content',
  'catalogue-deadline',
  'policy-interpretation',
];
/** Planted kinds that are warnings (planted.yaml lists them with the check's fails). */
const WARNING_KINDS = new Set(['late', 'footer-missing']);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-demo-'));
  // --recheck: after the inspection the sites are rectified in part (seeds/demo/site-rectified) and
  // inspected again; run 1 is the inspection every other assertion reads.
  cli = await runCli(
    ['demo', '--recheck', '--date', TODAY, '--db', join(dir, 'x.db'), '--out', join(dir, 'out')],
    470_000,
  );
  runDir = join(dir, 'out', '1');
  report = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as InspectionReport;
  // Two batches with their screenshots and PDFs: minutes on a loaded 2-core machine.
}, 480_000);

describe('xuncha demo on the sample county', () => {
  it('finishes and names the output folder', () => {
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`报告已生成：${runDir}`);
    expect(readdirSync(runDir).sort()).toEqual(
      expect.arrayContaining(['run.json', '网上巡查排名.xlsx', '报告.html']),
    );
  });

  it.each(Object.keys(planted))('finds exactly the defects planted in %s', (id) => {
    const p = planted[id]!;
    const u = unitOf(id);
    expect(
      fails(u, 'dead-links')
        .map((f) => [pathOf(f.url), f.kind])
        .sort(),
    ).toEqual((p.deadLinks ?? []).map((d) => [d.path, d.kind]).sort());
    for (const d of p.deadLinks ?? [])
      expect(fails(u, 'dead-links').find((f) => pathOf(f.url) === d.path)!.message).toContain(
        `HTTP ${d.status}`,
      );
    expect(
      u.findings
        .filter((f) => CATALOGUE_CHECKS.includes(f.checkId))
        .map((f) => [
          f.checkId,
          f.kind,
          f.outcome,
          pathOf(f.url),
          /（([\w-]+)）$/.exec(f.evidence)?.[1] ?? '',
        ])
        .sort(),
    ).toEqual((p.catalogues ?? []).map((c) => [c.check, c.kind, c.outcome, c.path, c.item ?? '']).sort());
    expect(
      fails(u, 'blank-columns')
        .map((f) => /「(.+)」/.exec(f.message)?.[1])
        .sort(),
    ).toEqual([...(p.blankColumns ?? [])].sort());
    const freshness = fails(u, 'column-freshness');
    const name = (f: { message: string }) => /「(.+?)」/.exec(f.message)?.[1];
    expect(
      freshness
        .filter((f) => !f.message.includes('未标注'))
        .map(name)
        .sort(),
    ).toEqual([...(p.staleColumns ?? [])].sort());
    expect(
      freshness
        .filter((f) => f.message.includes('未标注'))
        .map(name)
        .sort(),
    ).toEqual([...(p.undatedColumns ?? [])].sort());
    const pii = fails(u, 'personal-data-exposure');
    const expected = (p.exposures ?? []).flatMap((e) => [
      ...Array(e.idCards).fill(`${e.path} id-card`),
      ...Array(e.mobiles).fill(`${e.path} mobile`),
      ...Array(e.addresses).fill(`${e.path} address`),
    ]);
    expect(pii.map((f) => `${pathOf(f.url)} ${f.kind}`).sort()).toEqual(expected.sort());
    // interaction-replies and site-identity: every fail and warning, with its outcome.
    const judged = (checkId: string) =>
      u.findings
        .filter((f) => f.checkId === checkId && (f.outcome === 'fail' || f.outcome === 'warn'))
        .map((f) => [f.kind, f.outcome, pathOf(f.url)])
        .sort();
    const plantedFor = (list: { kind: string; path: string }[] = []) =>
      list.map((i) => [i.kind, WARNING_KINDS.has(i.kind) ? 'warn' : 'fail', i.path]).sort();
    expect(judged('interaction-replies')).toEqual(plantedFor(p.interaction));
    expect(judged('site-identity')).toEqual(plantedFor(p.identity));
    expect(
      fails(u, 'service-guide-elements')
        .map((f) => [pathOf(f.url), f.kind])
        .sort(),
    ).toEqual((p.guides ?? []).map((g) => [g, 'missing-elements']).sort());
    expect(fails(u, 'site-availability').map((f) => f.kind)).toEqual(p.unavailable ? ['unavailable'] : []);
    expect(
      u.findings
        .filter((f) => f.checkId === 'disclosure-column')
        .map((f) => [f.kind, f.outcome, pathOf(f.url)])
        .sort(),
    ).toEqual((p.disclosure ?? []).map((d) => [d.kind, d.outcome, d.path]).sort());
    expect(fails(u, 'disclosure-timeliness').map((f) => [pathOf(f.url), f.kind])).toEqual(
      (p.lateDocuments ?? []).map((path) => [path, 'late']),
    );
    // No fail of any other check, and no warning beyond the planted ones.
    const listed = new Set([
      ...CATALOGUE_CHECKS,
      'dead-links',
      'blank-columns',
      'column-freshness',
      'personal-data-exposure',
      'interaction-replies',
      'site-identity',
      'service-guide-elements',
      'site-availability',
      'disclosure-timeliness',
      'disclosure-column',
    ]);
    expect(u.findings.filter((f) => f.outcome === 'fail' && !listed.has(f.checkId))).toEqual([]);
    expect(
      u.findings
        .filter(
          (f) =>
            f.outcome === 'warn' &&
            !['interaction-replies', 'site-identity', 'disclosure-column', ...CATALOGUE_CHECKS].includes(
              f.checkId,
            ),
        )
        .map((f) => [f.checkId, f.kind, pathOf(f.url)])
        .sort(),
    ).toEqual((p.warnings ?? []).map((w) => [w.check, w.kind, w.path]).sort());
    for (const clean of p.clean ?? []) expect(u.findings.filter((f) => pathOf(f.url) === clean)).toEqual([]);
  });

  it('reports each exposed person masked, and only those', async () => {
    for (const [id, p] of Object.entries(planted)) {
      for (const e of p.exposures ?? []) {
        const specs = await describeAttachments(`seeds/demo/site/${id}`, {
          today: new Date(`${TODAY}T00:00:00Z`),
        });
        const people = specs.find((s) => s.path === e.path)!.people;
        const masked = people.flatMap((x) => [
          `${x.idCard.slice(0, 6)}********${x.idCard.slice(-4)}`,
          `${x.mobile.slice(0, 3)}****${x.mobile.slice(-4)}`,
          `${x.addressArea}***`,
        ]);
        const found = fails(unitOf(id), 'personal-data-exposure')
          .filter((f) => pathOf(f.url) === e.path)
          .map((f) => f.evidence);
        expect(found.sort()).toEqual(masked.sort());
      }
    }
  });

  it('never left this machine: every fetched URL is on 127.0.0.1', async () => {
    const db = await openTestStore(join(dir, 'x.db'));
    const hosts = (await db.selectFrom('resources').select('url').distinct().execute()).map(
      (r) => new URL(r.url).hostname,
    );
    expect(new Set(hosts)).toEqual(new Set(['127.0.0.1']));
  });

  it('fetched the clean rosters (so "nothing found" means they were read) and never the robots-disallowed pages', async () => {
    const db = await openTestStore(join(dir, 'x.db'));
    const first = (id: string, path: string) =>
      db
        .selectFrom('resources')
        .select(['status', 'error_kind as kind'])
        .where('unit_id', '=', id)
        .where('url', 'like', `%${path}`)
        .orderBy('id')
        .executeTakeFirst();
    for (const [id, p] of Object.entries(planted)) {
      for (const clean of p.clean ?? []) {
        const row = await first(id, clean);
        expect(row?.status, `${id} ${clean}`).toBe(200);
      }
      for (const path of p.robotsDisallowed ?? []) {
        const row = await first(id, path);
        expect(row).toEqual({ status: 0, kind: 'robots' });
      }
    }
  });

  it('ranks the units as their planted defects alone imply', () => {
    const system = loadIndicatorSystem('rules/indicators/national-2019.yaml');
    // Rebuild findings from planted.yaml only, score them, and compare with the report.
    const synthetic = Object.entries(planted).map(([id, p]) => {
      const f = (checkId: string, kind: string, url = id): Finding => ({
        checkId,
        unitId: id,
        outcome: 'fail',
        kind,
        message: '',
        url,
        location: '',
        evidence: '',
      });
      const findings = [
        ...(p.deadLinks ?? []).map((d) => f('dead-links', d.kind, d.path)),
        ...(p.catalogues ?? []).filter((c) => c.outcome === 'fail').map((c) => f(c.check, c.kind, c.path)),
        ...(p.lateDocuments ?? []).map((d) => f('disclosure-timeliness', 'late', d)),
        ...(p.blankColumns ?? []).map(() => f('blank-columns', 'blank')),
        ...(p.staleColumns ?? []).map((c) => f('column-freshness', /动态|要闻/.test(c) ? 'news' : 'notice')),
        ...(p.undatedColumns ?? []).map(() => f('column-freshness', 'notice')),
        ...(p.exposures ?? []).flatMap((e) => [
          f('personal-data-exposure', 'id-card', e.path),
          f('personal-data-exposure', 'mobile', e.path),
          f('personal-data-exposure', 'address', e.path),
        ]),
        ...(p.unavailable ? [f('site-availability', 'unavailable')] : []),
        ...(p.interaction ?? [])
          .filter((i) => !WARNING_KINDS.has(i.kind))
          .map((i) => f('interaction-replies', i.kind, i.path)),
        ...(p.identity ?? [])
          .filter((i) => !WARNING_KINDS.has(i.kind))
          .map((i) => f('site-identity', i.kind, i.path)),
        ...(p.guides ?? []).map((g) => f('service-guide-elements', 'missing-elements', g)),
      ];
      return { id, ...scoreUnit(system, id, findings) };
    });
    const expected = rankUnits(synthetic).map((s) => [s.id, s.rank, s.score, s.vetoed]);
    expect(report.units.map((u) => [u.id, u.rank, u.score, u.vetoed])).toEqual(expected);
    expect(unitOf('jdb')).toMatchObject({ vetoed: true, grade: '不合格', rank: report.units.length });
    expect(unitOf('zrzyj')).toMatchObject({ vetoed: true, grade: '不合格' });
    expect(unitOf('zrzyj').vetoReason).toContain('互动回应差');
    // 教育局 has no 领导信箱 of its own, but the portal it lives on has one: no V5 veto.
    expect(unitOf('jyj')).toMatchObject({ vetoed: false, score: 100, rank: 1 });
  });

  it('writes the ranking workbook with one 问题明细 row per finding and live links', async () => {
    const buf = readFileSync(join(runDir, '网上巡查排名.xlsx'));
    const wb = await readWorkbook(buf);
    expect(Object.keys(wb)).toEqual(expect.arrayContaining(['排名', '问题明细']));
    const rankRows = wb['排名']!.filter((r) => typeof r[0] === 'number');
    expect(rankRows.map((r) => r[1])).toEqual(report.units.map((u) => u.name));
    const all = report.units.flatMap((u) => u.findings);
    const detailRows = wb['问题明细']!.filter((r) => report.units.some((u) => u.name === r[0]));
    expect(detailRows).toHaveLength(all.length);
    const links = await readHyperlinks(buf, '问题明细');
    expect(links.map((l) => l.hyperlink)).toEqual(expect.arrayContaining(all.map((f) => f.url)));
  });

  it('writes one 整改通知 per unit with problems, with its URLs and deadline', async () => {
    const listed = (u: ReportUnit) => u.findings.some((f) => f.outcome === 'fail' || f.outcome === 'warn');
    // 教育局 has nothing to rectify (its missing 指南 asks a person to look first): no notice.
    expect(existsSync(join(runDir, `整改通知-${unitOf('jyj').name}.docx`))).toBe(false);
    for (const u of report.units.filter(listed)) {
      const text = (await readDocxText(readFileSync(join(runDir, `整改通知-${u.name}.docx`)))).join('\n');
      expect(text).toContain(u.name);
      for (const f of fails(u, 'dead-links')) expect(text).toContain(f.url);
      const [y, m, d] = WorkdayCalendar.load('rules/calendar')
        .addWorkdays(TODAY, report.notice.deadlineWorkdays)
        .split('-')
        .map(Number);
      expect(report.notice.deadline).toBe(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      expect(text).toContain(`${y}年${m}月${d}日`);
      expect(text).toContain('回执');
    }
  });

  it("keeps each unit's findings out of its neighbours' notices and rows", async () => {
    const wb = await readWorkbook(readFileSync(join(runDir, '网上巡查排名.xlsx')));
    const rows = wb['问题明细']!;
    for (const owner of report.units) {
      // What is this unit's alone: its findings at URLs inside its own folder (or host).
      const start = new URL(owner.startUrls[0]!);
      const folder = `${start.origin}${start.pathname}`;
      const own = owner.findings
        .filter((f) => f.url.startsWith(folder) && f.url !== folder)
        .map((f) => f.url);
      for (const other of report.units) {
        if (other.id === owner.id) continue;
        const notice = join(runDir, `整改通知-${other.name}.docx`);
        const text = existsSync(notice) ? (await readDocxText(readFileSync(notice))).join('\n') : '';
        const otherRows = rows.filter((r) => r[0] === other.name).map((r) => r.join(' '));
        for (const url of own) {
          expect(text.includes(url), `${owner.id} ${url} in ${other.id}'s notice`).toBe(false);
          expect(
            otherRows.some((r) => r.includes(url)),
            `${owner.id} ${url} in ${other.id}'s rows`,
          ).toBe(false);
        }
      }
    }
    // The 民政局 column's dead link and roster exposure are its own: found, and nowhere else.
    expect(fails(unitOf('mzj'), 'personal-data-exposure').length).toBeGreaterThan(0);
    expect(fails(unitOf('mzj'), 'dead-links').length).toBeGreaterThan(0);
  });

  it('writes each 整改通知 also as a PDF, with its URLs and masked evidence', () => {
    expect(cli.stdout).toMatch(/整改通知：\d+ 份（DOCX 与 PDF）/);
    expect(cli.stderr).not.toContain('PDF');
    for (const u of report.units) {
      const listed = u.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'warn');
      if (listed.length === 0) continue;
      const text = pdfText(readFileSync(join(runDir, `整改通知-${u.name}.pdf`)));
      expect(text).toContain(u.name);
      for (const f of listed) {
        expect(text).toContain(f.url.replace(/\s+/g, ''));
        expect(text).toContain(f.evidence.replace(/\s+/g, ''));
      }
      expect(text).toContain('整改情况回执');
    }
  });

  it('proves the findings with screenshots: personal data first, files and list in 证据', async () => {
    const shots = report.screenshots;
    expect(shots.length).toBeGreaterThan(10);
    expect(cli.stdout).toMatch(/截图取证完成：\d+ 张/);
    for (const s of shots) {
      expect(readFileSync(join(runDir, s.image)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(existsSync(join(runDir, s.copy))).toBe(true);
    }
    // Every exposure the 民政局 is told about is proved, by the article carrying the roster.
    const mzjFindings = report.units.find((u) => u.id === 'mzj')!.findings;
    const exposures = mzjFindings.filter(
      (f) => f.checkId === 'personal-data-exposure' && f.outcome === 'fail',
    );
    expect(exposures.length).toBeGreaterThan(0);
    for (const f of exposures) {
      const shot = shots.find((s) => s.findingIds.includes(f.findingId!));
      expect(shot, f.url).toBeDefined();
      expect(shot!).toMatchObject({ unitId: 'mzj', located: true, status: 200 });
    }
    const list = readFileSync(join(runDir, '证据', '证据清单.csv'), 'utf8');
    expect(list.split('\r\n').filter(Boolean)).toHaveLength(shots.length + 1);
    const sheets = await readWorkbook(readFileSync(join(runDir, '网上巡查排名.xlsx')));
    expect(sheets['截图证据']!.length).toBe(shots.length + 1);
    expect(readFileSync(join(runDir, '报告.html'), 'utf8').match(/<figure class="shot"/g)).toHaveLength(
      shots.length,
    );
  });

  it('writes the county 通报 as DOCX and PDF, every unit ranked and the 红黑榜 given', async () => {
    const docx = (await readDocxText(readFileSync(join(runDir, `通报-${report.runId}.docx`)))).join('');
    const pdf = pdfText(readFileSync(join(runDir, `通报-${report.runId}.pdf`)));
    for (const text of [docx.replace(/\s+/g, ''), pdf]) {
      for (const heading of ['一、总体情况', '二、排名情况', '三、红黑榜', '四、典型问题', '五、整改要求'])
        expect(text).toContain(heading);
      for (const u of report.units) expect(text).toContain(u.name.replace(/\s+/g, ''));
    }
    const problems = report.units.reduce((s, u) => s + countProblems(u.findings), 0);
    expect(docx).toContain(`共发现问题${problems}个`);
  });

  it('re-checks the rectified county: what each unit fixed, left open, and broke anew', () => {
    const recheck = JSON.parse(readFileSync(join(dir, 'out', '2', '整改复查.json'), 'utf8')) as RecheckReport;
    expect(cli.stdout).toContain(`复查表已生成：${join(dir, 'out', '2', '整改复查.xlsx')}`);
    const items = (id: string) => recheck.units.find((u) => u.id === id)!.items;
    const statusOf = (id: string, checkId: string, path: string) =>
      items(id)
        .filter((i) => i.checkId === checkId && pathOf((i.previous ?? i.current)!.url) === path)
        .map((i) => i.status);
    // qzf took the deleted article off its 政策文件 list.
    expect(statusOf('qzf', 'dead-links', '/zwgk/zcwj/art_2019_old.html')).toEqual(['fixed']);
    // mzj took the roster down: every exposure in it is fixed, as no longer linked.
    const roster = items('mzj').filter((i) => i.previous?.url.endsWith('/attach/dbdx_mingdan.xlsx'));
    expect(roster).toHaveLength(24);
    expect(new Set(roster.map((i) => `${i.status} ${i.note}`))).toEqual(
      new Set(['fixed 该网址本次未再抓取到（已撤下或不再链接）']),
    );
    // ... and left its missing 目录 items and the incomplete guide.
    expect(
      items('mzj')
        .filter((i) => i.status !== 'fixed')
        .every((i) => i.status === 'open'),
    ).toBe(true);
    // czj published a fresh 财政动态 item whose article page is missing.
    expect(statusOf('czj', 'column-freshness', '/czdt/')).toEqual(['fixed']);
    expect(statusOf('czj', 'dead-links', '/czdt/art_1007.html')).toEqual(['new']);
    // The other units changed nothing.
    for (const id of ['zrzyj', 'jdb', 'jyj', 'xsz'])
      expect(items(id).every((i) => i.status === 'open')).toBe(true);
  });

  it('leaks no personal data: no unmasked ID, mobile or address in any output file or in the log', async () => {
    const raw: string[] = [];
    for (const id of Object.keys(planted))
      for (const spec of await describeAttachments(`seeds/demo/site/${id}`, {
        today: new Date(`${TODAY}T00:00:00Z`),
      }))
        for (const person of spec.people) raw.push(person.idCard, person.mobile, person.address);
    expect(raw.length).toBeGreaterThan(20);
    const texts: [string, string][] = [
      ['stdout', cli.stdout],
      ['stderr', cli.stderr],
    ];
    // Both inspections' outputs, the re-check workbook and JSON and the 证据 folders included.
    for (const run of ['1', '2'])
      for (const e of readdirSync(join(dir, 'out', run), { recursive: true, withFileTypes: true })) {
        if (!e.isFile() || /\.jpe?g$/.test(e.name)) continue; // screenshots: pixels (tested by OCR)
        const f = e.name;
        const buf = readFileSync(join(e.parentPath, f));
        const name = `${run}/${join(e.parentPath, f).slice(join(dir, 'out', run).length + 1)}`;
        if (f.endsWith('.json') || f.endsWith('.csv')) texts.push([name, buf.toString('utf8')]);
        else if (f.endsWith('.pdf')) texts.push([name, pdfText(buf)]);
        // 报告.html as written: text, attributes (links, tooltips) and SVG labels alike.
        else if (f.endsWith('.html')) texts.push([name, buf.toString('utf8')]);
        else for (const [entry, xml] of await readZipEntries(buf)) texts.push([`${name}:${entry}`, xml]);
      }
    expect(texts.some(([name]) => name.startsWith('2/整改复查.xlsx'))).toBe(true);
    for (const [where, text] of texts) {
      for (const value of raw) expect(text.includes(value), `${value.slice(0, 3)}… in ${where}`).toBe(false);
      expect(detectPersonalData(text), where).toEqual([]);
    }
  });
});
