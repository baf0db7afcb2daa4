import type { Category } from '../../src/checks/types.js';
import type { IndicatorResult, InspectionReport, ReportFinding, ReportUnit } from '../../src/report/model.js';

/**
 * Frozen all the way down: with \`isolate: false\` every test file of a worker shares this module, so
 * a test (or report code) that changed a fixture would change it for the files after it — freezing
 * makes that a TypeError where it happens instead of a failure somewhere else.
 */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) frozen(v);
  }
  return value;
}

/**
 * A small, real-looking InspectionReport: three units (one vetoed for personal data exposure), findings
 * across all categories and outcomes, masked evidence, unverified figures and a calendar warning.
 * Units are deliberately not in rank order.
 */
export const CATEGORIES: { id: Category; title: string }[] = frozen([
  { id: 'links', title: '链接可用性' },
  { id: 'update', title: '内容更新' },
  { id: 'disclosure', title: '公开内容' },
  { id: 'privacy', title: '个人信息保护' },
  { id: 'site', title: '网站基本要素' },
]);

const BASIS = {
  links: '《政府网站与政务新媒体检查指标》：首页链接不可用、其他页面链接不可用',
  update: '《政府网站与政务新媒体检查指标》：动态、要闻类栏目 2 周以上未更新',
  disclosure: '《中华人民共和国政府信息公开条例》第二十条',
  privacy: '《中华人民共和国个人信息保护法》第十条；《政府信息公开条例》第十五条',
  site: '《政府网站发展指引》（国办发〔2017〕47号）网页标签要求',
  interaction: '《政府网站与政务新媒体检查指标》：互动回应差',
};

const ADVICE = {
  links: '请逐一修复或删除无法访问的链接，并建立链接定期检测机制。',
  update: '请及时更新栏目内容；确无信息发布的栏目应整合或关闭。',
  disclosure: '请按照标准目录补充应主动公开的信息。',
  privacy: '请立即撤下或脱敏处理含个人信息的页面和附件，并排查同类问题。',
  site: '请在页面中补全网页元数据标签。',
  interaction: '请及时答复网民留言，并公开留言时间、答复时间、答复单位和答复内容。',
};

function finding(unitId: string, category: Category, fields: Partial<ReportFinding>): ReportFinding {
  return {
    unitId,
    checkId: 'dead-links',
    checkTitle: '链接可用',
    category,
    categoryTitle: CATEGORIES.find((c) => c.id === category)?.title ?? category,
    outcome: 'fail',
    kind: '',
    message: '',
    url: '',
    location: '',
    evidence: '',
    basis: BASIS[category],
    advice: ADVICE[category],
    verified: true,
    ...fields,
  };
}

function indicator(
  fields: Partial<IndicatorResult> & Pick<IndicatorResult, 'indicatorId' | 'title'>,
): IndicatorResult {
  return {
    kind: 'deduct',
    points: 0,
    triggered: false,
    findingCount: 0,
    reason: '',
    verified: true,
    ...fields,
  };
}

/** Like buildReport: counts only outcome fail, per category title. */
function counts(findings: ReportFinding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings.filter((x) => x.outcome === 'fail'))
    out[f.categoryTitle] = (out[f.categoryTitle] ?? 0) + 1;
  return out;
}

const MZJ = 'http://mzj.sfq.example.gov.cn';
const JYJ = 'http://jyj.sfq.example.gov.cn';
const RSJ = 'http://rsj.sfq.example.gov.cn';

export const mzjFindings: ReportFinding[] = frozen([
  finding('mzj', 'links', {
    kind: 'attachment',
    message: '附件链接无法访问（HTTP 404）',
    url: `${MZJ}/xxgk/2026/P020260312_dibao.pdf`,
    location: `引用页面：${MZJ}/xxgk/shjz/index.html`,
    evidence: 'HTTP 404 Not Found',
  }),
  finding('mzj', 'update', {
    checkId: 'column-freshness',
    checkTitle: '栏目按时更新',
    kind: 'dynamic',
    message: '栏目“工作动态”超过 14 天未更新（最近更新 2026-10-15）',
    url: `${MZJ}/gzdt/index.html`,
    location: '栏目：工作动态',
    evidence: '最近一条：2026-10-15 区民政局召开养老服务工作推进会',
    verified: false,
  }),
  finding('mzj', 'site', {
    checkId: 'page-meta-tags',
    checkTitle: '网页元数据',
    outcome: 'warn',
    kind: 'SiteIDCode',
    message: '页面缺少 SiteIDCode 元数据',
    url: `${MZJ}/index.html`,
    location: '<head>',
    evidence: '<meta name="SiteName" content="示范区民政局"> & 无 SiteIDCode',
  }),
  finding('mzj', 'disclosure', {
    checkId: 'catalogue-coverage',
    checkTitle: '标准目录事项',
    outcome: 'needs-review',
    kind: 'unparsed-catalogue',
    message: '社会救助目录表格无法识别，需人工核对',
    url: `${MZJ}/xxgk/shjz/ml.html`,
    location: '标准目录页',
    evidence: '表格含合并单元格',
  }),
]);

export const jyjFindings: ReportFinding[] = frozen([
  finding('jyj', 'disclosure', {
    checkId: 'catalogue-coverage',
    checkTitle: '标准目录事项',
    kind: 'missing-item',
    message: '标准目录缺少“义务教育招生入学政策”事项',
    url: `${JYJ}/xxgk/ml/index.html`,
    location: '义务教育领域 / 招生入学',
    evidence: '未找到匹配的事项名称',
  }),
  finding('jyj', 'update', {
    checkId: 'homepage-freshness',
    checkTitle: '首页按时更新',
    kind: 'homepage',
    message: '首页超过 2 周无新信息（最近更新 2026-11-02）',
    url: `${JYJ}/`,
    location: '首页',
    evidence: '最新一条：2026-11-02 关于开展秋季学期安全检查的通知',
  }),
  finding('jyj', 'links', {
    outcome: 'error',
    kind: 'attachment',
    message: '附件解析失败：文件已损坏',
    url: `${JYJ}/xxgk/2026/budget.xlsx`,
    location: `引用页面：${JYJ}/xxgk/czzj/index.html`,
    evidence: 'Zip 结构损坏',
  }),
]);

export const rsjFindings: ReportFinding[] = frozen([
  finding('rsj', 'privacy', {
    checkId: 'personal-data-exposure',
    checkTitle: '个人信息保护',
    kind: 'id-card',
    message: '附件公开了未脱敏的居民身份证号码',
    url: `${RSJ}/xxgk/2026/gongyi_gangwei_mingdan.xlsx`,
    location: '工作表“名单” C5',
    evidence: '姓名：张** 身份证号：350502********1234',
  }),
  finding('rsj', 'privacy', {
    checkId: 'personal-data-exposure',
    checkTitle: '个人信息保护',
    kind: 'mobile',
    message: '页面公开了未脱敏的手机号码',
    url: `${RSJ}/tzgg/2026/t20261103_88.html`,
    location: '正文第 3 段',
    evidence: '联系人：李** 电话：138****5678',
  }),
  finding('rsj', 'links', {
    kind: 'home-page',
    message: '首页链接无法访问（连接超时）',
    url: `${RSJ}/bszn/index.html`,
    location: `引用页面：${RSJ}/`,
    evidence: 'timeout after 15000 ms',
    verified: false,
  }),
]);

function unit(
  fields: Omit<ReportUnit, 'counts' | 'level' | 'startUrls' | 'crawl'> & { crawl?: ReportUnit['crawl'] },
) {
  const base = { level: '区直部门', startUrls: [`http://${fields.id}.sfq.example.gov.cn/`] };
  const crawl = fields.crawl ?? { pages: 120, attachments: 14, failures: 2 };
  return { ...base, ...fields, crawl, counts: counts(fields.findings) } satisfies ReportUnit;
}

export const mzj: ReportUnit = frozen(
  unit({
    id: 'mzj',
    name: '示范区民政局',
    score: 88.5,
    grade: '优秀',
    rank: 1,
    vetoed: false,
    vetoReason: '',
    crawl: { pages: 215, attachments: 37, failures: 1, links: 400, deadLinks: 2 },
    reasons: [
      indicator({
        indicatorId: 'inner-links',
        title: '其他页面链接不可用',
        points: 1,
        triggered: true,
        findingCount: 1,
        reason: '1 个附件链接不可用，每个扣 1 分',
      }),
      indicator({
        indicatorId: 'column-update',
        title: '栏目更新不及时',
        points: 1.5,
        triggered: true,
        findingCount: 1,
        reason: '动态类栏目 1 个超期',
        verified: false,
      }),
      indicator({ indicatorId: 'privacy-veto', title: '泄露个人隐私', kind: 'veto', reason: '未发现' }),
    ],
    findings: mzjFindings,
  }),
);

export const jyj: ReportUnit = frozen(
  unit({
    id: 'jyj',
    name: '示范区教育局',
    score: 72,
    grade: '合格',
    rank: 2,
    vetoed: false,
    vetoReason: '',
    reasons: [
      indicator({
        indicatorId: 'catalogue',
        title: '标准目录事项缺失',
        points: 5,
        triggered: true,
        findingCount: 1,
        reason: '缺少 1 项，每项扣 5 分',
      }),
      indicator({
        indicatorId: 'homepage-update',
        title: '首页更新不及时',
        points: 5,
        triggered: true,
        findingCount: 1,
        reason: '首页 2 周以上无新信息',
      }),
      indicator({
        indicatorId: 'innovation',
        title: '创新发展',
        kind: 'bonus',
        points: 2,
        triggered: true,
        reason: '政策解读形式多样',
      }),
    ],
    findings: jyjFindings,
  }),
);

export const rsj: ReportUnit = frozen(
  unit({
    id: 'rsj',
    name: '示范区人力资源和社会保障局',
    score: 0,
    grade: '不合格',
    rank: 3,
    vetoed: true,
    vetoReason: '泄露个人隐私（2 处未脱敏个人信息）',
    crawl: { pages: 98, attachments: 21, failures: 6 },
    reasons: [
      indicator({
        indicatorId: 'privacy-veto',
        title: '泄露个人隐私',
        kind: 'veto',
        triggered: true,
        findingCount: 2,
        reason: '发现身份证号码 1 处、手机号码 1 处',
      }),
      indicator({
        indicatorId: 'homepage-links',
        title: '首页链接不可用',
        points: 2,
        triggered: true,
        findingCount: 1,
        reason: '首页 1 个链接不可用',
        verified: false,
      }),
    ],
    findings: rsjFindings,
  }),
);

/** A fresh report of the fixture county each call, the caller's to change (its units are copies). */
export function makeReport(overrides: Partial<InspectionReport> = {}): InspectionReport {
  return structuredClone({
    tool: { name: 'xuncha', version: '0.1.0' },
    runId: 12,
    inspectionDate: '2026-11-24',
    startedAt: '2026-11-24T01:00:00.000Z',
    finishedAt: '2026-11-24T03:30:00.000Z',
    indicatorSystem: {
      id: 'national-2019',
      title: '政府网站与政务新媒体检查指标（2019）',
      failBelow: 60,
      verified: true,
      unreachable: { title: '无法访问', basis: '站点无法访问（1周内无法访问的比例达5%以上）' },
    },
    categories: CATEGORIES,
    units: [jyj, rsj, mzj],
    unverified: [
      { file: 'rules/checks/column-freshness.yaml', note: '动态类栏目更新时限（14 天）尚待核实' },
      { file: 'rules/indicators/national-2019.yaml', note: '首页链接不可用每处扣分值尚待核实' },
    ],
    calendarWarnings: ['2027 年节假日数据缺失，按周末推算'],
    screenshots: [],
    notice: { issuer: '示范区人民政府办公室（政务公开办）', deadlineWorkdays: 10, deadline: '2026-12-08' },
    ...overrides,
  });
}
