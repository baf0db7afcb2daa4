#!/usr/bin/env node
// Idempotent setup for a fresh Debian machine with only Node, npm and git:
// npm packages, Debian chromium + CJK fonts + OCR tools (tesseract with chi_sim, poppler-utils for
// scanned attachments), then the TypeScript build. Quick when all is present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const say = (m) => console.log(`[setup] ${m}`);
const fail = (m) => {
  console.error(`[setup] 错误：${m}`);
  process.exit(1);
};
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
};
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) fail(`需要 Node.js 20 或更高版本，当前为 ${process.versions.node}`);
}

function npmPackages() {
  const marker = 'node_modules/.package-lock.json';
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs;
  if (fresh) return say('npm 依赖已安装');
  say('安装 npm 依赖（npm ci）……');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) fail('npm 依赖安装失败，请检查网络或 npm 源设置');
}

function fontsInstalled() {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

function tesseractLanguages() {
  try {
    return execFileSync('tesseract', ['--list-langs'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split(/\s+/)
      .filter(Boolean);
  } catch {
    return [];
  }
}

function debianPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!fontsInstalled()) missing.push('fonts-noto-cjk');
  // Scanned PDFs and images in attachments are read by OCR; without these they are only flagged.
  const langs = tesseractLanguages();
  if (!langs.length) missing.push('tesseract-ocr');
  if (!langs.includes('chi_sim')) missing.push('tesseract-ocr-chi-sim');
  if (!has('pdftoppm')) missing.push('poppler-utils');
  if (!missing.length) return say('chromium、中文字体与文字识别（OCR）工具已安装');
  let prefix;
  if (process.getuid?.() === 0) prefix = [];
  else if (has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0)
    prefix = ['sudo'];
  else
    fail(
      `缺少系统软件包：${missing.join('、')}。当前用户既不是 root 也无法免密使用 sudo，` +
        `请让管理员执行：apt-get install -y ${missing.join(' ')}`,
    );
  const apt = (args) =>
    prefix.length
      ? run('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', ...args])
      : run(args[0], args.slice(1));
  say(`安装系统软件包：${missing.join(' ')} ……`);
  process.env.DEBIAN_FRONTEND = 'noninteractive';
  if (
    !apt(['apt-get', 'update', '-qq']) ||
    !apt(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing])
  )
    fail(`apt-get 安装 ${missing.join(' ')} 失败，请检查软件源`);
}

function build() {
  say('编译 TypeScript……');
  if (!run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']))
    fail('TypeScript 编译失败');
}

checkNode();
npmPackages();
debianPackages();
build();
say('就绪');
